package dev.berth.cli;

import dev.berth.BerthException;
import dev.berth.ContainerStartException;
import java.io.PrintWriter;
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
@Command(name = "berth", description = "Pull images and run containers, with no daemon.",
    subcommands = {ImageCommands.Pull.class, ImageCommands.ImagesList.class, RunCommand.class,
        ContainerCommands.Ps.class, ContainerCommands.Logs.class, ExecCommand.class,
        ContainerCommands.Stop.class, ContainerCommands.Kill.class, ContainerCommands.Rm.class,
        ImageCommands.Rmi.class, InspectCommand.class, ImageCommands.Tag.class,
        ImageCommands.Push.class, ImageCommands.Save.class, ImageCommands.Load.class,
        VolumeCommands.class, BuildCommand.class, NetworkCommands.class, SystemCommands.Info.class,
        SystemCommands.Version.class})
public final class BerthCli implements Runnable {
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
    // run/exec: everything after IMAGE/CONTAINER belongs to the container's command
    cli.getSubcommands().get("run").setStopAtPositional(true);
    cli.getSubcommands().get("exec").setStopAtPositional(true);
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
