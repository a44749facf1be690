package dev.berth.cli;

import dev.berth.BerthException;
import dev.berth.Container;
import dev.berth.ContainerProcess;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * Attaches this terminal to a container or an exec'd process, as {@code docker run/exec}
 * without {@code -d}: output copied as it comes, stdin forwarded with {@code -i}, and with
 * {@code -it} on a terminal: raw mode, the window size and its changes.
 */
final class Attach {
  private static final long DRAIN_SECONDS = 5;

  /** What attaching needs of a {@link Container} or a {@link ContainerProcess}. */
  interface Target {
    InputStream stdout();

    InputStream stderr();

    OutputStream stdin();

    int waitFor() throws InterruptedException;

    void resize(int rows, int cols);

    /** Forwards a signal this JVM got (Docker's sig-proxy), or ignores it. */
    void signal(String name);
  }

  private Attach() {}

  static Target of(Container c) {
    return new Target() {
      public InputStream stdout() {
        return c.getInputStream();
      }

      public InputStream stderr() {
        return c.getErrorStream();
      }

      public OutputStream stdin() {
        return c.getOutputStream();
      }

      public int waitFor() throws InterruptedException {
        return c.waitFor();
      }

      public void resize(int rows, int cols) {
        c.resize(rows, cols);
      }

      public void signal(String name) {
        c.kill(name);
      }
    };
  }

  static Target of(ContainerProcess p) {
    return new Target() {
      public InputStream stdout() {
        return p.getInputStream();
      }

      public InputStream stderr() {
        return p.getErrorStream();
      }

      public OutputStream stdin() {
        return p.getOutputStream();
      }

      public int waitFor() throws InterruptedException {
        return p.waitFor();
      }

      public void resize(int rows, int cols) {
        p.resize(rows, cols);
      }

      public void signal(String name) {
        // docker exec proxies no signals either
      }
    };
  }

  /**
   * @throws CliException for {@code -it} when stdin is no terminal, as Docker ("the input device
   *     is not a TTY")
   */
  static void checkTerminal(boolean interactive, boolean tty) {
    if (interactive && tty && !Terminal.stdinIsTerminal()) {
      throw new CliException(1, "the input device is not a TTY; drop -t, or run berth from a"
          + " terminal");
    }
  }

  /** @return the process's exit code, once it has exited and its output is copied */
  static int attach(Target t, boolean interactive, boolean tty) throws InterruptedException {
    Terminal raw = interactive && tty ? Terminal.raw() : null;
    try {
      if (tty && Terminal.stdinIsTerminal()) {
        followWindowSize(t);
      } else if (!tty) {
        proxySignals(t);
      }
      Thread out = copy(t.stdout(), new FileOutputStream(FileDescriptor.out), false);
      Thread err = tty ? null : copy(t.stderr(), new FileOutputStream(FileDescriptor.err), false);
      if (interactive) {
        copy(System.in, t.stdin(), true);
      }
      int code = t.waitFor();
      out.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
      if (err != null) {
        err.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
      }
      return code;
    } finally {
      if (raw != null) {
        raw.close();
      }
    }
  }

  private static void followWindowSize(Target t) {
    Runnable resize = () -> {
      int[] size = Terminal.size();
      try {
        t.resize(size[0], size[1]);
      } catch (BerthException exited) {
        // it ended between the signal and the resize
      }
    };
    resize.run();
    Terminal.onResize(resize);
  }

  /** Docker's sig-proxy: Ctrl-C or a TERM to berth goes to the container, which decides. */
  private static void proxySignals(Target t) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> forward(t, "SIG" + name));
      } catch (IllegalArgumentException ignoredByTheShell) {
        // a background job of a non-interactive shell ignores INT: so does the container
      }
    }
  }

  private static void forward(Target t, String signal) {
    try {
      t.signal(signal);
    } catch (BerthException exited) {
      // it is already gone
    }
  }

  /** Copies in a daemon thread, flushing each chunk; closes {@code to} at end of input if asked. */
  private static Thread copy(InputStream from, OutputStream to, boolean closeAtEnd) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (from) {
        for (int n; (n = from.read(buf)) >= 0; ) {
          to.write(buf, 0, n);
          to.flush();
        }
        if (closeAtEnd) {
          to.close();
        }
      } catch (IOException e) {
        // the other side went away: the process has ended or closed its stream
      }
    }, "berth-copy");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
