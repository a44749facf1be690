package dev.berth.internal.runtime;

import dev.berth.BerthException;
import dev.berth.ContainerStartException;
import dev.berth.PortMapping;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.net.NetworkSpec;
import dev.berth.internal.net.Networks;
import dev.berth.internal.security.SeccompCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Starts a container: writes the helper's config and /etc files into the container directory,
 * runs the helper, and waits for its status line on a pipe of its own ({@link StatusPipe}). On
 * success the helper stays as the container's monitor, and its streams are the container's, from
 * their first byte.
 */
public final class HelperLauncher {
  private static final int ESRCH = 3;
  private final Supplier<Path> helper;
  private final Duration startTimeout;
  private final Networks networks;

  /**
   * A launcher without user-defined networks.
   *
   * @param helper the helper executable, from {@link HelperBinary#path()}
   * @param startTimeout how long the helper may take to report that the container started
   */
  public HelperLauncher(Path helper, Duration startTimeout) {
    this(helper, startTimeout, null);
  }

  /** @param networks the user-defined networks containers may join (BERTH_HOME's), or null for none */
  public HelperLauncher(Path helper, Duration startTimeout, Networks networks) {
    this(() -> helper, startTimeout, networks);
  }

  /**
   * @param helper asked for the helper executable only when a container starts: an engine that
   *     only lists never extracts it
   */
  public HelperLauncher(Supplier<Path> helper, Duration startTimeout, Networks networks) {
    this.helper = helper;
    this.startTimeout = startTimeout;
    this.networks = networks;
  }

  /**
   * Launches with the network the spec's namespaces imply: its own (lo only) with
   * {@link RuntimeSpec.Namespace#NET}, else the host's.
   *
   * @param containerDir an existing directory the container owns: config, state, log, /etc files
   * @throws ContainerStartException when the container's process could not be started
   * @throws BerthException when the container directory cannot be written or the helper fails
   */
  public LaunchedContainer launch(RuntimeSpec spec, Path containerDir) {
    return launch(spec, containerDir, MonitorOptions.ATTACHED);
  }

  /**
   * @param monitor whether output also flows to this JVM, and whether the monitor removes the
   *     container directory after the exit
   * @see #launch(RuntimeSpec, Path)
   */
  public LaunchedContainer launch(RuntimeSpec spec, Path containerDir, MonitorOptions monitor) {
    return launch(spec, containerDir, monitor, impliedNetwork(spec));
  }

  /**
   * Launches attached ({@link MonitorOptions#ATTACHED}) on the given network.
   *
   * @see #launch(RuntimeSpec, Path, MonitorOptions, NetworkSpec)
   */
  public LaunchedContainer launch(RuntimeSpec spec, Path containerDir, NetworkSpec net) {
    return launch(spec, containerDir, MonitorOptions.ATTACHED, net);
  }

  /**
   * Launches on the given network (the spec's NET namespace is set to match it). On a
   * user-defined network the container's id is its directory's name; call
   * {@link Networks#detach} with it when the container is removed.
   *
   * @param containerDir an existing directory the container owns: config, state, log, /etc files
   * @param monitor whether output also flows to this JVM, and whether the monitor removes the
   *     container directory after the exit
   * @param net the network; its published ports are in {@link LaunchedContainer#ports()}
   * @throws ContainerStartException when the container's process could not be started, or a
   *     published host port is in use (stage "network", with the holder when known)
   * @throws UnsupportedEnvironmentException for a user-defined network without root or networks
   * @throws BerthException when the container directory cannot be written or the helper fails
   */
  public LaunchedContainer launch(RuntimeSpec spec, Path containerDir, MonitorOptions monitor, NetworkSpec net) {
    return launch(spec, containerDir, monitor, net, null);
  }

  /**
   * {@link #launch(RuntimeSpec, Path, MonitorOptions, NetworkSpec)} through a ready spare helper,
   * whose zygote already sits in the v1 cgroups among {@code monitor.cgroups()} (renamed from the
   * spare's to the container's); with a null spare, a new helper as usual.
   */
  public LaunchedContainer launch(RuntimeSpec spec, Path containerDir, MonitorOptions monitor, NetworkSpec net,
      SpareHelper spare) {
    ContainerFiles files = new ContainerFiles(containerDir);
    RuntimeSpec withEtc = withEtcFiles(withNetNamespace(spec, net), files);
    writeSeccomp(withEtc.security(), files);
    List<Networks.Attachment> attachments = new ArrayList<>();
    boolean started = false;
    try {
      attach(net, withEtc, files, attachments);
      byte[] config = HelperConfig.encode(withEtc, files, monitor, net, attachments);
      LaunchedContainer c = start(files, config, "Container", !net.ports().isEmpty(), spare);
      started = true; // attached for good: detached when the container is removed
      return c;
    } finally {
      if (!started && !attachments.isEmpty()) networks.detach(containerId(files));
    }
  }

  /** The network the spec's namespaces imply: its own (lo only) with NET, else the host's. */
  private static NetworkSpec impliedNetwork(RuntimeSpec spec) {
    return spec.namespaces().contains(RuntimeSpec.Namespace.NET) ? NetworkSpec.none() : NetworkSpec.host();
  }

  /**
   * Starts a process inside a running container, like {@code docker exec}. It gets a directory of
   * its own under the container's ({@link ContainerFiles#execDir}) for its config, state and
   * control socket; the returned handle's exit code is the exec'd process's.
   *
   * @param container the running container's files
   * @param hostPid the container's init as the host sees it ({@link LaunchedContainer#hostPid()})
   * @throws ContainerStartException when the container is not running (stage "join"), or the
   *     process could not be started: 127 program not found, 126 not runnable, else 125
   * @throws BerthException when the exec directory cannot be written or the helper fails
   */
  public LaunchedContainer exec(ContainerFiles container, long hostPid, RuntimeProcess spec) {
    requireRunning(container, hostPid);
    ContainerFiles files = new ContainerFiles(container.execDir(ContainerNames.newId().substring(0, 16)));
    try {
      Files.createDirectories(files.dir());
    } catch (IOException e) {
      throw new BerthException("Cannot create the exec directory " + files.dir() + ": " + e.getMessage(), e);
    }
    return start(files, HelperConfig.encodeExec(spec, files, hostPid, container.seccomp()), "Exec in container " + container.dir(), false, null);
  }

  /** The helper checks again (the container may end meanwhile); this says why in words. */
  private static void requireRunning(ContainerFiles container, long hostPid) {
    ContainerState s = ContainerState.read(container.state()).orElse(null);
    String why = s == null ? "it has no state file (was it ever started?)"
        : s.exited() ? "it exited with code " + s.exitCode() + " at " + s.finishedAt()
        : s.pid() != hostPid ? "its process is " + s.pid() + ", not " + hostPid
        : null;
    if (why != null) {
      throw new ContainerStartException("Cannot exec in container " + container.dir() + ": it is not running ("
          + why + "); start it first", HelperProtocol.Stage.JOIN.word, ESRCH, HelperProtocol.EXIT_SETUP_FAILED);
    }
  }

  /** @param published whether the helper serves published ports (it then lists them in files.ports()) */
  private LaunchedContainer start(ContainerFiles files, byte[] config, String what, boolean published, SpareHelper spare) {
    Process monitor;
    StatusPipe pipe = null;
    try {
      Files.deleteIfExists(files.ports());
      Files.write(files.config(), config);
      pipe = StatusPipe.create(files.status());
      monitor = spare != null ? claimOrSpawn(spare, files, pipe) : spawn(files, pipe);
    } catch (IOException e) {
      if (pipe != null) pipe.close();
      throw new BerthException("Cannot start the Berth helper " + helper.get() + " for " + files.dir() + ": " + e.getMessage(), e);
    }
    String status = readStatusLine(monitor, pipe);
    String[] words = status.split(" ", 5);
    if (words.length == 3 && words[0].equals(HelperProtocol.STATUS_MAGIC) && words[1].equals("started")) {
      List<PortMapping> ports = published ? PortsFile.read(files.ports()) : List.of();
      return new LaunchedContainer(Long.parseLong(words[2]), monitor, files, ports);
    }
    throw startFailure(monitor, words, status, what);
  }

  private Process spawn(ContainerFiles files, StatusPipe status) throws IOException {
    return new ProcessBuilder(helper.get().toString(), "--status", status.path().toString(), files.config().toString())
        .start();
  }

  /**
   * A spare that died since it was ready (its stdin is gone) is replaced by a new helper, which
   * joins every cgroup of the config itself: nothing of the container has started yet.
   */
  private Process claimOrSpawn(SpareHelper spare, ContainerFiles files, StatusPipe status) throws IOException {
    try {
      return spare.claim(status.path(), files.config());
    } catch (IOException gone) {
      return spawn(files, status);
    }
  }

  private static RuntimeSpec withNetNamespace(RuntimeSpec spec, NetworkSpec net) {
    EnumSet<RuntimeSpec.Namespace> ns = EnumSet.copyOf(spec.namespaces());
    if (net.ownNamespace()) ns.add(RuntimeSpec.Namespace.NET);
    else ns.remove(RuntimeSpec.Namespace.NET);
    return spec.withNamespaces(ns);
  }

  /**
   * On user-defined networks: an address on each (eth0 on the first, eth1 … on the others), and
   * the names in every peer's hosts file (and in its own). Each attachment is added to
   * {@code out} as it is made, so that a failure half-way detaches what was attached.
   */
  private void attach(NetworkSpec net, RuntimeSpec spec, ContainerFiles files, List<Networks.Attachment> out) {
    if (net.mode() != NetworkSpec.Mode.BRIDGE && net.more().isEmpty()) return;
    if (networks == null) {
      throw new UnsupportedEnvironmentException("Network " + (net.network() != null ? net.network() : net.more().get(0).network())
          + " is a user-defined network, but this launcher was made without Networks; construct it with"
          + " new HelperLauncher(helper, timeout, new Networks(home))");
    }
    String hostname = spec.hostname() != null ? spec.hostname() : containerId(files);
    int iface = 0;
    if (net.mode() == NetworkSpec.Mode.BRIDGE) {
      List<String> names = new ArrayList<>(List.of(hostname));
      net.aliases().stream().filter(a -> !names.contains(a)).forEach(names::add);
      out.add(networks.attach(net.network(), containerId(files), names, files.hosts(), "eth" + iface++));
    }
    for (NetworkSpec.More more : net.more()) {
      List<String> names = new ArrayList<>(List.of(hostname));
      more.names().stream().filter(a -> !names.contains(a)).forEach(names::add);
      out.add(networks.attach(more.network(), containerId(files), names, files.hosts(), "eth" + iface++));
    }
  }

  private static String containerId(ContainerFiles files) {
    return files.dir().getFileName().toString();
  }

  /** The helper bind-mounts /etc/hostname, /etc/hosts and /etc/resolv.conf from these files. */
  private static RuntimeSpec withEtcFiles(RuntimeSpec spec, ContainerFiles files) {
    String name = spec.hostname() != null ? spec.hostname() : "localhost";
    try {
      Files.writeString(files.hostname(), name + "\n");
      Files.writeString(files.hosts(), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t" + name + "\n");
      Path hostResolv = Path.of("/etc/resolv.conf");
      Files.writeString(files.resolvConf(), Files.isReadable(hostResolv) ? Files.readString(hostResolv) : "");
    } catch (IOException e) {
      throw new BerthException("Cannot write /etc files into " + files.dir() + ": " + e.getMessage(), e);
    }
    List<RuntimeSpec.Mount> mounts = new ArrayList<>(List.of(
        RuntimeSpec.Mount.bind(files.hostname(), "/etc/hostname", false),
        RuntimeSpec.Mount.bind(files.hosts(), "/etc/hosts", false),
        RuntimeSpec.Mount.bind(files.resolvConf(), "/etc/resolv.conf", false)));
    mounts.addAll(spec.mounts());
    return new RuntimeSpec(spec.process(), spec.hostname(), spec.rootfs(), spec.namespaces(), mounts, spec.rlimits(),
        spec.security(), spec.idMapping());
  }

  /** Compiled here, for the capabilities the container will hold, so the helper only loads it. */
  static void writeSeccomp(RuntimeSpec.Security s, ContainerFiles files) {
    byte[] program;
    if (s.seccomp() instanceof RuntimeSpec.BuiltInSeccomp) program = SeccompCompiler.compileBuiltIn(s.capabilities());
    else if (s.seccomp() instanceof RuntimeSpec.SeccompProfileFile f) program = SeccompCompiler.compileFile(f.file(), s.capabilities());
    else if (s.seccomp() instanceof RuntimeSpec.SeccompProfileJson j) program = SeccompCompiler.compileText(j.json(), s.capabilities());
    else return;
    try {
      Files.write(files.seccomp(), program);
    } catch (IOException e) {
      throw new BerthException("Cannot write the seccomp filter " + files.seccomp() + ": " + e.getMessage(), e);
    }
  }

  /** The status line from the helper's status pipe, within the start timeout. */
  private String readStatusLine(Process monitor, StatusPipe pipe) {
    try {
      return pipe.firstLine(monitor, startTimeout);
    } catch (TimeoutException e) {
      monitor.destroyForcibly();
      throw new ContainerStartException("The Berth helper did not report within " + startTimeout
          + " whether the container started; it was killed. Is the machine overloaded?", "spawn", 0,
          HelperProtocol.EXIT_SETUP_FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      monitor.destroyForcibly();
      throw new BerthException("Interrupted while starting a container", e);
    } catch (LinuxException e) {
      monitor.destroyForcibly();
      throw new BerthException("Reading the Berth helper's status failed: " + e.getMessage(), e);
    }
  }

  private static ContainerStartException startFailure(Process monitor, String[] words, String status, String what) {
    int exit = exitCode(monitor);
    if (words.length == 5 && words[0].equals(HelperProtocol.STATUS_MAGIC) && words[1].equals("error")) {
      return new ContainerStartException(what + " failed to start (stage " + words[2] + "): " + words[4],
          words[2], Integer.parseInt(words[3]), exit);
    }
    String stderr = stderrOf(monitor);
    return new ContainerStartException("The Berth helper ended without a status (exit " + exit + ", said \""
        + status + "\", stderr \"" + stderr + "\"); report this as a Berth bug", "spawn", 0, exit);
  }

  private static int exitCode(Process p) {
    try {
      return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : HelperProtocol.EXIT_SETUP_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HelperProtocol.EXIT_SETUP_FAILED;
    }
  }

  private static String stderrOf(Process p) {
    try {
      return new String(p.getErrorStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** @return the helper executable this launcher runs (file system jobs run it too) */
  public Path helper() {
    return helper.get();
  }
}
