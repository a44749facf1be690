package dev.berth.internal.build;

import dev.berth.internal.manifest.ImageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Makes the steps of a build, with Docker's history texts ({@code /bin/sh -c #(nop) ENV …},
 * {@code RUN …}), resolving relative paths against the working directory of the image so far.
 */
public final class StepFactory {
  private static final String NOP = "/bin/sh -c #(nop) ";

  private final BuildSession session;
  private BuildState current;

  public StepFactory(BuildSession session) {
    this.session = session;
  }

  /** Tells the factory the state the next step starts from. */
  public void after(BuildState state) {
    this.current = state;
  }

  private String workdir() {
    String wd = current == null ? null : current.config().config().workingDir();
    return wd == null || wd.isEmpty() ? "/" : wd;
  }

  /** @return {@code path} made absolute against the current working directory */
  public String absolute(String path) {
    String abs = path.startsWith("/") ? path : CopySource.join(workdir(), path);
    String norm = Path.of(abs).normalize().toString();
    boolean dir = path.endsWith("/") || path.endsWith("/.") || path.equals(".");
    return dir && !norm.equals("/") ? norm + "/" : norm;
  }

  public Step env(List<String> pairs) {
    String text = "ENV " + String.join(" ", pairs);
    return config(text, e -> pairs.forEach(kv -> {
      int eq = kv.indexOf('=');
      e.env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }));
  }

  public Step entrypoint(List<String> argv) {
    return config("ENTRYPOINT " + json(argv), e -> e.entrypoint = argv);
  }

  public Step cmd(List<String> argv) {
    return config("CMD " + json(argv), e -> e.cmd = argv);
  }

  public Step workdir(String dir) {
    String abs = Path.of(absolute(dir)).normalize().toString();
    return config("WORKDIR " + dir, e -> e.workingDir = abs);
  }

  public Step user(String user) {
    return config("USER " + user, e -> e.user = user);
  }

  public Step expose(List<String> ports) {
    return config("EXPOSE " + String.join(" ", ports),
        e -> ports.forEach(p -> e.exposedPorts.add(p.contains("/") ? p : p + "/tcp")));
  }

  public Step labels(List<String> keys, List<String> values) {
    StringBuilder text = new StringBuilder("LABEL");
    for (int i = 0; i < keys.size(); i++) {
      text.append(' ').append(keys.get(i)).append('=').append(values.get(i));
    }
    return config(text.toString(), e -> {
      for (int i = 0; i < keys.size(); i++) {
        e.labels.put(keys.get(i), values.get(i));
      }
    });
  }

  public Step volumes(List<String> paths) {
    return config("VOLUME " + json(paths), e -> e.volumes.addAll(paths));
  }

  public Step stopSignal(String signal) {
    return config("STOPSIGNAL " + signal, e -> e.stopSignal = signal);
  }

  public Step shell(List<String> shell) {
    return config("SHELL " + json(shell), e -> e.shell = shell);
  }

  public Step onBuild(String trigger) {
    return config("ONBUILD " + trigger, e -> {
      List<String> more = new java.util.ArrayList<>(e.onBuild);
      more.add(trigger);
      e.onBuild = more;
    });
  }

  public Step healthcheck(List<String> test, Duration interval, Duration timeout,
      Duration startPeriod, int retries) {
    ImageConfig.HealthCheck hc = new ImageConfig.HealthCheck(test, nanos(interval),
        nanos(timeout), nanos(startPeriod), 0, retries);
    return config("HEALTHCHECK " + json(test), e -> e.healthcheck = hc);
  }

  private Step config(String text, java.util.function.Consumer<Configs.Editor> edit) {
    return new Step.Config(text, NOP + text, edit);
  }

  /** A COPY of host files (no context, no ignore rules). */
  public Step copyHost(Path source, String dest, int uid, int gid, Integer mode) {
    if (!Files.exists(source)) {
      throw new dev.berth.BerthException("cannot copy " + source + ": no such file or directory;"
          + " give an existing file or directory");
    }
    CopySource src = new CopySource(source.getParent() == null ? source : source.getParent(),
        DockerIgnore.of(List.of()), "directory " + source.getParent());
    String name = source.getFileName() == null ? "." : source.getFileName().toString();
    return copy("COPY " + source + " " + dest, () -> src, null, List.of(name), dest,
        new FileStager.Attrs(uid, gid, mode, session.settings().fileTime()), false);
  }

  /** ADD of a tar archive: extracted into {@code dir}. */
  public Step addTar(Path tar, String dir) {
    if (!Files.isRegularFile(tar)) {
      throw new dev.berth.BerthException("cannot add " + tar + ": it is not a file; give a tar"
          + " archive (plain, gzip or zstd)");
    }
    CopySource src = new CopySource(tar.getParent(), DockerIgnore.of(List.of()),
        "directory " + tar.getParent());
    String d = dir.endsWith("/") ? dir : dir + "/";
    return copy("ADD " + tar + " " + dir, () -> src, null, List.of(tar.getFileName().toString()),
        d, new FileStager.Attrs(0, 0, null, session.settings().fileTime()), true);
  }

  /** A COPY or ADD with everything spelled out; {@code dest} may be relative. */
  public Step copy(String text, java.util.function.Supplier<CopySource> source,
      dev.berth.Digest sourceId, List<String> patterns, String dest, FileStager.Attrs attrs,
      boolean extract) {
    return new Step.Copy(text, NOP + text, source, sourceId, patterns, absolute(dest), attrs,
        extract);
  }

  /** A RUN; {@code argv} is the whole command. */
  public Step run(List<String> argv, boolean execForm) {
    return run(argv, execForm, java.util.Map.of());
  }

  public Step run(List<String> argv, boolean execForm, java.util.Map<String, String> buildArgs) {
    String text = "RUN " + (execForm ? json(argv) : argv.get(argv.size() - 1));
    return new Step.Run(text, "RUN " + String.join(" ", argv), argv, buildArgs);
  }

  private static long nanos(Duration d) {
    return d == null ? 0 : d.toNanos();
  }

  static String json(List<String> list) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < list.size(); i++) {
      sb.append(i > 0 ? "," : "").append('"')
          .append(list.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return sb.append(']').toString();
  }

  /** @throws IllegalArgumentException for an empty name or one with {@code =} */
  public static void checkEnvName(String name) {
    if (name == null || name.isEmpty() || name.contains("=")) {
      throw new IllegalArgumentException("invalid environment variable name '" + name
          + "': it must be non-empty and contain no '='");
    }
  }

  /** @throws IllegalArgumentException unless {@code port} is {@code N}, {@code N/tcp}, … */
  public static void checkPort(String port) {
    if (port == null || !port.matches("\\d{1,5}(-\\d{1,5})?(/(tcp|udp|sctp))?")) {
      throw new IllegalArgumentException("invalid port '" + port
          + "': give a number with an optional protocol, e.g. 8080 or 53/udp");
    }
  }

  /** @throws IllegalArgumentException for negative ids or a mode outside 0..07777 */
  public static void checkOwner(int uid, int gid, Integer mode) {
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("invalid owner " + uid + ":" + gid
          + ": uid and gid must not be negative");
    }
    if (mode != null && (mode < 0 || mode > 07777)) {
      throw new IllegalArgumentException("invalid mode " + Integer.toOctalString(mode)
          + ": give permission bits between 0 and 07777 (octal)");
    }
  }
}
