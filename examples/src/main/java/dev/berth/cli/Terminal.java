package dev.berth.cli;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;

/**
 * The host's terminal, driven with {@code stty} on {@code /dev/tty} (Java has no termios): raw
 * mode for {@code run -it}, its window size, and SIGWINCH. {@link #close()} (and a shutdown
 * hook, should the JVM be ended) puts back the settings it found.
 */
final class Terminal implements AutoCloseable {
  private static final File TTY = new File("/dev/tty");

  private final String saved;
  private final Thread restoreOnExit;

  private Terminal(String saved) {
    this.saved = saved;
    this.restoreOnExit = new Thread(this::restore, "berth-restore-terminal");
    Runtime.getRuntime().addShutdownHook(restoreOnExit);
  }

  /** @return true when this process's stdin is a terminal ({@code test -t 0}) */
  static boolean stdinIsTerminal() {
    try {
      Process p = new ProcessBuilder("test", "-t", "0").redirectInput(Redirect.INHERIT).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Saves the terminal's settings and puts it in raw mode without echo. */
  static Terminal raw() {
    Terminal t = new Terminal(stty("-g").strip());
    stty("raw", "-echo");
    return t;
  }

  /** @return {rows, columns} of the terminal */
  static int[] size() {
    String[] rc = stty("size").strip().split("\\s+");
    return new int[] {Integer.parseInt(rc[0]), Integer.parseInt(rc[1])};
  }

  /** Runs {@code action} each time the terminal's window changes size (SIGWINCH). */
  @SuppressWarnings("sunapi") // the JDK's only way to handle a signal other than INT/TERM/HUP
  static void onResize(Runnable action) {
    sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> action.run());
  }

  @Override
  public void close() {
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(restoreOnExit);
    } catch (IllegalStateException alreadyExiting) {
      // the hook is running or has run: it restores too
    }
  }

  private void restore() {
    stty(saved);
  }

  private static String stty(String... args) {
    String[] argv = new String[args.length + 1];
    argv[0] = "stty";
    System.arraycopy(args, 0, argv, 1, args.length);
    try {
      Process p = new ProcessBuilder(argv).redirectInput(TTY).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new CliException(1, "stty " + String.join(" ", args) + " failed on /dev/tty: "
            + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new CliException(1, "cannot run stty for the terminal: " + e.getMessage()
          + " (is coreutils installed?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(1, "interrupted while setting up the terminal");
    }
  }
}
