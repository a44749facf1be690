package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.Image;
import dev.berth.RunOptions;
import dev.berth.RunOptionsBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth run}: pulls the image when it is not stored ("Unable to find image … locally"),
 * starts the container and, unless {@code -d}, stays attached and exits with its exit code.
 */
@Command(name = "run", description = "Create and run a new container from an image")
final class RunCommand implements Callable<Integer> {
  @Mixin HelpOption help;

  @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
  boolean detach;

  @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
  boolean interactive;

  @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
  boolean tty;

  @Option(names = "--rm", description = "Automatically remove the container when it exits")
  boolean remove;

  @Option(names = "--name", description = "Assign a name to the container")
  String name;

  @Option(names = {"-e", "--env"}, description = "Set environment variables (NAME=value, or NAME "
      + "to pass this shell's value)")
  List<String> env = new ArrayList<>();

  @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
  String workdir;

  @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>])")
  String user;

  @Option(names = {"-h", "--hostname"}, description = "Container host name")
  String hostname;

  @Option(names = {"-l", "--label"}, description = "Set meta data on a container (key=value)")
  List<String> labels = new ArrayList<>();

  @Option(names = "--entrypoint", description = "Overwrite the default ENTRYPOINT of the image")
  String entrypoint;

  @Option(names = {"-p", "--publish"}, description = "Publish a container's port to the host: "
      + "[ip:][hostPort:]containerPort[/tcp|udp]")
  List<String> publish = new ArrayList<>();

  @Option(names = {"-P", "--publish-all"}, description = "Publish all exposed ports to free ports")
  boolean publishAll;

  @Option(names = {"-v", "--volume"}, description = "Bind mount a host path or mount a volume: "
      + "/host/path:/ctr[:ro], name:/ctr[:ro] or /ctr (anonymous)")
  List<String> volumes = new ArrayList<>();

  @Option(names = "--tmpfs", description = "Mount a tmpfs: /ctr[:size=64m,mode=1777,ro]")
  List<String> tmpfs = new ArrayList<>();

  @Option(names = "--read-only", description = "Mount the container's root filesystem as read only")
  boolean readOnly;

  @Option(names = "--privileged", description = "Give extended privileges to this container")
  boolean privileged;

  @Option(names = "--cap-add", description = "Add Linux capabilities")
  List<String> capAdd = new ArrayList<>();

  @Option(names = "--cap-drop", description = "Drop Linux capabilities")
  List<String> capDrop = new ArrayList<>();

  @Option(names = "--pids-limit", description = "Tune container pids limit (-1 or 0 for unlimited)")
  Long pidsLimit;

  @Option(names = "--network", description = "Connect a container to a network: private "
      + "(default), none, host, container:<name|id> or a network's name")
  String network;

  @Option(names = "--network-alias", description = "Add a network-scoped alias for the container")
  List<String> networkAliases = new ArrayList<>();

  @Option(names = {"-m", "--memory"}, description = "Memory limit, e.g. 512m or 1g")
  String memory;

  @Option(names = "--cpus", description = "Number of CPUs, e.g. 1.5")
  String cpus;

  @Option(names = "--progress", description = "Pull progress: auto, plain or tty (default: ${DEFAULT-VALUE})")
  Pulls.Progress progress = Pulls.Progress.auto;

  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    RunOptions options = options();
    if (!detach) {
      Attach.checkTerminal(interactive, tty);
    }
    Berth berth = Berth.defaultEngine();
    Image img = Pulls.localOrPull(berth, image, System.err, progress);
    Container c = img.run(options);
    if (detach) {
      System.out.println(c.id());
      return 0;
    }
    return Attach.attach(Attach.of(c), interactive, tty);
  }

  RunOptions options() {
    RunOptionsBuilder b = RunOptions.builder().detach(detach).autoRemove(remove).tty(tty)
        .stdinOpen(interactive).name(name).workingDir(workdir).user(user).hostname(hostname);
    if (!command.isEmpty()) {
      b.command(command);
    }
    if (entrypoint != null) {
      // Docker: the flag is one program path, not split; "" clears the image's entrypoint
      if (entrypoint.isEmpty()) {
        b.entrypoint();
      } else {
        b.entrypoint(entrypoint);
      }
    }
    for (String e : env) {
      addEnv(b, e);
    }
    publish.forEach(p -> b.publish(PortSpec.parse(p)));
    b.publishAll(publishAll);
    if (network != null) {
      b.network(network);
    }
    networkAliases.forEach(b::networkAlias);
    if (memory != null) {
      b.memory(Units.bytes("--memory", memory));
    }
    if (cpus != null) {
      b.cpus(Units.decimal("--cpus", cpus));
    }
    volumes.forEach(v -> MountSpec.volume(b, v));
    tmpfs.forEach(t -> MountSpec.tmpfs(b, t));
    b.readOnlyRootfs(readOnly).privileged(privileged);
    capAdd.forEach(b::capAdd);
    capDrop.forEach(b::capDrop);
    if (pidsLimit != null) {
      // Docker: -1 and 0 both mean unlimited
      b.pidsLimit(Math.max(0, pidsLimit));
    }
    for (String l : labels) {
      int eq = l.indexOf('=');
      b.label(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
    }
    return b.build();
  }

  /** {@code NAME=value}, or {@code NAME} alone: this shell's value, dropped when unset (Docker). */
  private static void addEnv(RunOptionsBuilder b, String e) {
    int eq = e.indexOf('=');
    if (eq == 0) {
      throw new CliException(125, "invalid environment variable '" + e + "': use NAME=value");
    }
    if (eq > 0) {
      b.env(e.substring(0, eq), e.substring(eq + 1));
    } else if (System.getenv(e) != null) {
      b.env(e, System.getenv(e));
    }
  }
}
