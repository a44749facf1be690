package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.ContainerList;
import dev.berth.Containers;
import dev.berth.LogLine;
import dev.berth.LogOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The container verbs: ps, logs, stop, kill, rm. */
final class ContainerCommands {
  private ContainerCommands() {}

  @Command(name = "ps", description = "List containers")
  static final class Ps implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs")
    boolean quiet;

    @Option(names = "--format", description = "Format output using a template: {{.ID}}, {{.Names}}, "
        + "{{.Image}}, {{.Status}}, …; 'table' adds a header")
    String format;

    @Override
    public Integer call() {
      ContainerList list = Berth.defaultEngine().containers(all);
      if (quiet) {
        list.forEach(c -> System.out.println(c.shortId()));
      } else if (format != null) {
        List<UnaryOperator<String>> rows = list.stream()
            .<UnaryOperator<String>>map(c -> f -> PsFields.value(c, f)).toList();
        System.out.print(Template.parse(format).validate(PsFields::title)
            .render(rows, PsFields::title));
      } else {
        System.out.print(list);
      }
      return 0;
    }
  }

  @Command(name = "logs", description = "Fetch the logs of a container")
  static final class Logs implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = {"-n", "--tail"}, description = "Number of lines to show from the end of the"
        + " logs (default: all)")
    String tail = "all";

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Parameters(paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() {
      LogOptions options = LogOptions.builder().tail(tailLines()).follow(follow).build();
      try (Stream<LogLine> lines = Containers.get(container).logs(options)) {
        // as Docker: what the container wrote to stderr goes to stderr
        lines.forEach(l -> print("stderr".equals(l.stream()) ? System.err : System.out,
            timestamps ? l.withTimestamp() : l.text()));
      }
      return 0;
    }

    private int tailLines() {
      if ("all".equals(tail)) {
        return -1;
      }
      try {
        return Math.max(0, Integer.parseInt(tail));
      } catch (NumberFormatException e) {
        throw new CliException(125, "invalid value \"" + tail + "\" for --tail: use a number of"
            + " lines or \"all\"");
      }
    }

    private static void print(PrintStream to, String text) {
      to.print(text);
      to.flush();
    }
  }

  @Command(name = "stop", description = "Stop one or more running containers")
  static final class Stop implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-t", "--time"}, description = "Seconds to wait before killing the container "
        + "(default: ${DEFAULT-VALUE})")
    int seconds = 10;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() {
      if (seconds < 0) {
        throw new CliException(125, "invalid --time " + seconds + ": use 0 or more seconds");
      }
      return Targets.each(containers,
          n -> Containers.get(n).stop(Duration.ofSeconds(seconds)));
    }
  }

  @Command(name = "kill", description = "Kill one or more running containers")
  static final class Kill implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-s", "--signal"}, description = "Signal to send (default: ${DEFAULT-VALUE})")
    String signal = "KILL";

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() {
      return Targets.each(containers, n -> Containers.get(n).kill(signal));
    }
  }

  @Command(name = "rm", description = "Remove one or more containers")
  static final class Rm implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() {
      return Targets.each(containers, n -> Containers.get(n).remove(force));
    }
  }

  @Command(name = "start", description = "Start one or more stopped containers")
  static final class Start implements Callable<Integer> {
    @Mixin HelpOption help;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() {
      // not attached, as docker start without -a: the output goes to the log
      return Targets.each(containers, n -> Containers.get(n).start());
    }
  }

  @Command(name = "restart", description = "Restart one or more containers")
  static final class Restart implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-t", "--time"}, description = "Seconds to wait before killing the container "
        + "(default: ${DEFAULT-VALUE})")
    int seconds = 10;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() {
      if (seconds < 0) {
        throw new CliException(125, "invalid --time " + seconds + ": use 0 or more seconds");
      }
      return Targets.each(containers, n -> Containers.get(n).restart(Duration.ofSeconds(seconds)));
    }
  }

  @Command(name = "rename", description = "Rename a container")
  static final class Rename implements Callable<Integer> {
    @Mixin HelpOption help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", paramLabel = "NEW_NAME")
    String newName;

    @Override
    public Integer call() {
      try {
        Containers.get(container).rename(newName);
        return 0;
      } catch (dev.berth.BerthException | IllegalArgumentException e) {
        System.err.println("Error: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "top", description = "Display the running processes of a container")
  static final class Top implements Callable<Integer> {
    @Mixin HelpOption help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() {
      try {
        System.out.print(Containers.get(container).top());
        return 0;
      } catch (dev.berth.BerthException e) {
        System.err.println("Error: " + e.getMessage());
        return 1;
      }
    }
  }
}
