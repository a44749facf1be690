package dev.berth.cli;

import dev.berth.BerthException;
import dev.berth.ContainerStartException;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code berth}: Docker's verbs, flags, output and exit codes, on the Berth library. The engine
 * is {@link dev.berth.Berth#defaultEngine()}: {@code BERTH_HOME}, {@code BERTH_REGISTRY_MIRRORS}.
 *
 * <p>Exit codes as Docker's: 0 ok, 1 an error, 125 bad usage or {@code run} itself failed,
 * 126/127 the command could not be run / was not found, else the container's own exit code.
 */
@Command(name = "berth", description = "Pull images and run containers, with no daemon.")
public final class BerthCli implements Runnable {
  /**
   * The verbs, by name, in the order {@code berth --help} lists them. Added to the command line
   * one by one rather than through {@code @Command(subcommands)}: picocli reflects over every
   * class it is given, and {@code berth ps} should not pay for the options of twenty verbs.
   */
  static final Map<String, Class<?>> VERBS = verbs(
      "pull", ImageCommands.Pull.class, "images", ImageCommands.ImagesList.class,
      "run", RunCommand.class, "ps", ContainerCommands.Ps.class,
      "logs", ContainerCommands.Logs.class, "exec", ExecCommand.class,
      "start", ContainerCommands.Start.class, "stop", ContainerCommands.Stop.class,
      "restart", ContainerCommands.Restart.class, "kill", ContainerCommands.Kill.class,
      "rename", ContainerCommands.Rename.class, "top", ContainerCommands.Top.class,
      "rm", ContainerCommands.Rm.class, "rmi", ImageCommands.Rmi.class,
      "inspect", InspectCommand.class, "tag", ImageCommands.Tag.class,
      "push", ImageCommands.Push.class, "save", ImageCommands.Save.class,
      "load", ImageCommands.Load.class, "volume", VolumeCommands.class,
      "build", BuildCommand.class, "network", NetworkCommands.class,
      "info", SystemCommands.Info.class, "version", SystemCommands.Version.class,
      "system", ServiceCommand.class);

  @Mixin HelpOption help;
  @Spec CommandSpec spec;

  @Option(names = {"-v", "--version"}, description = "Print version information and quit")
  boolean version;

  /** Runs one {@code berth} command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** @return the exit status of {@code berth args…} (output goes to System.out/err) */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new BerthCli());
    // `berth ps …` needs only ps, `berth --version` none; anything else (no verb, another
    // option first, a typo) gets them all, for the usage and the did-you-mean message
    for (Class<?> verb : verbsFor(args)) {
      cli.addSubcommand(verb);
    }
    // run/exec: everything after IMAGE/CONTAINER belongs to the container's command
    for (String verb : List.of("run", "exec")) {
      CommandLine sub = cli.getSubcommands().get(verb);
      if (sub != null) {
        sub.setStopAtPositional(true);
      }
    }
    cli.setExecutionExceptionHandler(BerthCli::onError);
    cli.setParameterExceptionHandler(BerthCli::onBadUsage);
    return cli.execute(args);
  }

  @Override
  public void run() {
    if (version) {
      System.out.println("Berth version " + SystemCommands.Version.berthVersion());
    } else {
      spec.commandLine().usage(System.out);
    }
  }

  private static Collection<Class<?>> verbsFor(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-v"))) {
      return List.of();
    }
    Class<?> only = args.length > 0 ? VERBS.get(args[0]) : null;
    return only != null ? List.of(only) : VERBS.values();
  }

  /** @param namesAndClasses name, class, name, class…: each name as its {@code @Command} says */
  private static Map<String, Class<?>> verbs(Object... namesAndClasses) {
    Map<String, Class<?>> byName = new LinkedHashMap<>();
    for (int i = 0; i < namesAndClasses.length; i += 2) {
      byName.put((String) namesAndClasses[i], (Class<?>) namesAndClasses[i + 1]);
    }
    return Collections.unmodifiableMap(byName);
  }

  private static int onError(Exception e, CommandLine cmd, ParseResult parsed) {
    cmd.getErr().println("Error: " + message(e));
    cmd.getErr().flush();
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof ContainerStartException s) {
      return s.exitCode();
    }
    // Docker: 125 when `run` itself fails, before the container's own code exists
    return "run".equals(cmd.getCommandName()) ? 125 : 1;
  }

  private static String message(Exception e) {
    boolean ours = e instanceof BerthException || e instanceof CliException
        || e instanceof IllegalArgumentException;
    return ours && e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static int onBadUsage(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String path = cmd.getCommandSpec().qualifiedName();
    if (e instanceof UnmatchedArgumentException u && cmd.getParent() == null
        && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      err.println("berth: '" + u.getUnmatched().get(0) + "' is not a berth command.");
      err.println("See 'berth --help'");
      return 1;
    }
    err.println("berth: " + e.getMessage());
    err.println("See '" + path + " --help'.");
    return 125;
  }
}
