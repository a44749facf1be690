package dev.berth.cli;

import dev.berth.BerthException;
import dev.berth.ContainerStartException;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

  /** run/exec: everything after IMAGE/CONTAINER belongs to the container's command. */
  static final List<String> STOP_AT_POSITIONAL = List.of("run", "exec");

  @Mixin HelpOption help;
  @Spec CommandSpec spec;

  @Option(names = {"-v", "--version"}, description = "Print version information and quit")
  boolean version;

  /** Runs one {@code berth} command line and exits with its status. */
  public static void main(String[] args) {
    int status = execute(args);
    if (status != 0 || !onlyDaemonsLeft()) {
      System.exit(status);
    }
    // else the JVM ends as main returns, its shutdown hooks run as at System.exit, without
    // System.exit's logging of the exit (JDK 21+), whose first System.Logger looks for logger
    // services on the class path: it opened the jar's directory (~9 ms) for ps and images alone
  }

  /** @return whether every other live thread is a daemon, so the JVM ends when main returns */
  private static boolean onlyDaemonsLeft() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 8];
    int n = root.enumerate(threads);
    for (int i = 0; i < n; i++) {
      if (threads[i] != Thread.currentThread() && !threads[i].isDaemon()) {
        return false;
      }
    }
    return n < threads.length;
  }

  /** @return the exit status of {@code berth args…} (output goes to System.out/err) */
  public static int execute(String... args) {
    Callable<Integer> quick = quickCommand(args);
    if (quick != null) {
      try {
        return quick.call();
      } catch (Exception e) {
        System.err.println("Error: " + message(e));
        return exitCode(e, args[0]);
      }
    }
    CommandLine cli = new CommandLine(new BerthCli());
    // `berth rm …` needs only rm; anything else (no verb, an option first, a typo) gets them
    // all, for the usage and the did-you-mean message
    for (Class<?> verb : verbsFor(args)) {
      cli.addSubcommand(verb);
    }
    for (String verb : STOP_AT_POSITIONAL) {
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
      printVersion();
    } else {
      spec.commandLine().usage(System.out);
    }
  }

  /**
   * The command lines typed most, which need no parser: {@code --version}, {@code ps} and
   * {@code images} with their one-letter flags, and any verb's line that {@link QuickArgs} reads.
   * Run without picocli, whose model of even one verb (its converters, help sections and every
   * option's spec) costs a cold JVM more than the listing itself. Anything else, {@code --help},
   * an unknown option or a bad value included, goes through picocli and its messages.
   *
   * @return the command, or null when picocli should parse {@code args}
   */
  static Callable<Integer> quickCommand(String... args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-v"))) {
      return () -> {
        printVersion();
        return 0;
      };
    }
    String flags = args.length > 0 ? shortFlags(args) : null;
    // ps and images, the lines typed most, skip even QuickArgs' read of their annotations (the
    // JVM's first annotation read costs ~30 ms; ps -a takes ~95 ms in all)
    if (args.length > 0 && args[0].equals("ps") && flags != null && flags.matches("[aq]*")) {
      ContainerCommands.Ps ps = new ContainerCommands.Ps();
      ps.all = flags.contains("a");
      ps.quiet = flags.contains("q");
      return ps;
    }
    if (args.length > 0 && args[0].equals("images") && flags != null && flags.matches("q*")) {
      ImageCommands.ImagesList images = new ImageCommands.ImagesList();
      images.quiet = !flags.isEmpty();
      return images;
    }
    return args.length > 0 ? quickVerb(args[0], List.of(args).subList(1, args.length)) : null;
  }

  /**
   * @return the verb with its fields filled by {@link QuickArgs}, or null when it is not a verb
   *     (or a group such as {@code volume}) or its line is not one QuickArgs reads
   */
  @SuppressWarnings("unchecked")
  static Callable<Integer> quickVerb(String name, List<String> args) {
    Class<?> verb = VERBS.get(name);
    if (verb == null || !Callable.class.isAssignableFrom(verb)) {
      return null;
    }
    try {
      Object command = verb.getDeclaredConstructor().newInstance();
      return QuickArgs.parse(command, args, STOP_AT_POSITIONAL.contains(name))
          ? (Callable<Integer>) command : null;
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  /**
   * @return the letters of {@code args[1…]} when each is a bundle of short flags ({@code -a},
   *     {@code -aq}) and none is repeated (picocli rejects a repeated one), else null
   */
  private static String shortFlags(String[] args) {
    StringBuilder letters = new StringBuilder();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].matches("-[a-z]+")) {
        return null;
      }
      letters.append(args[i], 1, args[i].length());
    }
    return letters.chars().distinct().count() == letters.length() ? letters.toString() : null;
  }

  private static void printVersion() {
    System.out.println("Berth version " + SystemCommands.Version.berthVersion());
  }

  private static Collection<Class<?>> verbsFor(String[] args) {
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
    return exitCode(e, cmd.getCommandName());
  }

  private static int exitCode(Exception e, String verb) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof ContainerStartException s) {
      return s.exitCode();
    }
    // Docker: 125 when `run` itself fails, before the container's own code exists
    return "run".equals(verb) ? 125 : 1;
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
