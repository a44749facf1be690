package dev.berth.cli;

import dev.berth.ContainerProcess;
import dev.berth.Containers;
import dev.berth.ExecOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth exec}: runs a command in a running container and exits with its exit code. */
@Command(name = "exec", description = "Execute a command in a running container")
final class ExecCommand implements Callable<Integer> {
  @Mixin HelpOption help;

  @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
  boolean interactive;

  @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
  boolean tty;

  @Option(names = {"-e", "--env"}, description = "Set environment variables (NAME=value)")
  List<String> env = new ArrayList<>();

  @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
  String workdir;

  @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>])")
  String user;

  @Parameters(index = "0", paramLabel = "CONTAINER")
  String container;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
  List<String> command;

  @Override
  public Integer call() throws InterruptedException {
    Attach.checkTerminal(interactive, tty);
    ExecOptions.Builder b = ExecOptions.builder(command.toArray(String[]::new)).tty(tty)
        .stdinOpen(interactive).workingDir(workdir).user(user);
    for (String e : env) {
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw new CliException(125, "invalid environment variable '" + e + "': use NAME=value");
      }
      b.env(e.substring(0, eq), e.substring(eq + 1));
    }
    ContainerProcess p = Containers.get(container).exec(b.build());
    return Attach.attach(Attach.of(p), interactive, tty);
  }
}
