package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.VolumeInfo;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth volume create|ls|rm|prune|inspect}: named and anonymous volumes, driver local. */
@Command(name = "volume", description = "Manage volumes",
    subcommands = {VolumeCommands.Create.class, VolumeCommands.Ls.class, VolumeCommands.Rm.class,
        VolumeCommands.Prune.class, VolumeCommands.Inspect.class})
final class VolumeCommands implements Runnable {
  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "create", description = "Create a volume")
  static final class Create implements Callable<Integer> {
    @Mixin HelpOption help;

    @Parameters(arity = "0..1", paramLabel = "VOLUME", description = "Its name (default: 64 "
        + "random hex characters, as Docker's anonymous volumes)")
    String name;

    @Override
    public Integer call() {
      String n = name != null ? name : randomName();
      System.out.println(Berth.defaultEngine().createVolume(n).name());
      return 0;
    }

    private static String randomName() {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      return HexFormat.of().formatHex(bytes);
    }
  }

  @Command(name = "ls", aliases = "list", description = "List volumes")
  static final class Ls implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-q", "--quiet"}, description = "Only display volume names")
    boolean quiet;

    @Override
    public Integer call() {
      List<VolumeInfo> volumes = Berth.defaultEngine().volumes();
      if (quiet) {
        volumes.forEach(v -> System.out.println(v.name()));
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("DRIVER", "VOLUME NAME"));
      volumes.forEach(v -> rows.add(List.of("local", v.name())));
      System.out.print(Table.render(rows, Table.DOCKER_MIN_WIDTH));
      return 0;
    }
  }

  @Command(name = "rm", aliases = "remove", description = "Remove one or more volumes")
  static final class Rm implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force the removal of one or more volumes, "
        + "even in use by a container")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "VOLUME")
    List<String> names;

    @Override
    public Integer call() {
      return Targets.each(names, n -> Berth.defaultEngine().removeVolume(n, force));
    }
  }

  @Command(name = "prune", description = "Remove all volumes not used by any container")
  static final class Prune implements Callable<Integer> {
    @Mixin HelpOption help;

    // Berth has no prompt: -f is accepted so that Docker's scripts run unchanged
    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = {"-a", "--all"}, description = "Remove named volumes too (always, in Berth)")
    boolean all;

    @Override
    public Integer call() {
      List<String> removed = Berth.defaultEngine().pruneVolumes();
      // Docker's lines, less "Total reclaimed space": the library does not measure it
      if (!removed.isEmpty()) {
        System.out.println("Deleted Volumes:");
        removed.forEach(System.out::println);
      }
      return 0;
    }
  }

  @Command(name = "inspect", description = "Display detailed information on one or more volumes")
  static final class Inspect implements Callable<Integer> {
    @Mixin HelpOption help;

    @Parameters(arity = "1..*", paramLabel = "VOLUME")
    List<String> names;

    @Override
    public Integer call() throws Exception {
      return InspectCommand.byName(Berth.defaultEngine().volumes(), VolumeInfo::name,
          InspectJson::volume, names, "volume");
    }
  }
}
