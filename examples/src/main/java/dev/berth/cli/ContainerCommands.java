package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.ContainerList;
import dev.berth.Containers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
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
    private static final long POLL_MS = 100;

    @Mixin HelpOption help;

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = "--tail", description = "Number of lines to show from the end of the logs "
        + "(default: all)")
    String tail = "all";

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Parameters(paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() throws InterruptedException {
      int lines = tailLines();
      Container c = Containers.get(container);
      String seen = c.logs(timestamps);
      print(lastLines(seen, lines));
      while (follow) {
        boolean running = c.inspect().isRunning();
        String now = c.logs(timestamps);
        print(now.substring(Math.min(seen.length(), now.length())));
        seen = now;
        follow = running; // one more read after it stopped: nothing written at the end is lost
        Thread.sleep(running ? POLL_MS : 0);
      }
      return 0;
    }

    private int tailLines() {
      if ("all".equals(tail)) {
        return Integer.MAX_VALUE;
      }
      try {
        return Math.max(0, Integer.parseInt(tail));
      } catch (NumberFormatException e) {
        throw new CliException(125, "invalid value \"" + tail + "\" for --tail: use a number of"
            + " lines or \"all\"");
      }
    }

    private static void print(String text) {
      System.out.print(text);
      System.out.flush();
    }

    /** @return the last {@code n} lines of {@code text}, as {@code --tail n} */
    static String lastLines(String text, int n) {
      if (n == 0) {
        return "";
      }
      int pos = text.endsWith("\n") ? text.length() - 1 : text.length();
      for (int i = 0; i < n; i++) {
        int newline = text.lastIndexOf('\n', pos - 1);
        if (newline < 0) {
          return text;
        }
        pos = newline;
      }
      return text.substring(pos + 1);
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
}
