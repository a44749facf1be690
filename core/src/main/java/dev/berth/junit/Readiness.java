package dev.berth.junit;

import dev.berth.ContainerInfo;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks a {@link Wait} against a running fixture, polling until it holds or time is up. */
final class Readiness {
  private static final long MAX_SLEEP_MS = 10;
  /**
   * Through a remote engine a port check is an exec: a process in the container, and with
   * podman's service a conmon that stays for minutes; fewer of them.
   */
  private static final long MAX_REMOTE_SLEEP_MS = 100;
  /** Asking whether the container still runs reads its state; less often than the checks. */
  private static final long LIVENESS_EVERY_NANOS = 100_000_000;

  /** The fixture was not ready: the message says what was awaited and what was seen. */
  static final class NotReady extends Exception {
    private static final long serialVersionUID = 1L;

    NotReady(String message) {
      super(message, null, false, false);
    }
  }

  private Readiness() {}

  /**
   * Returns once {@code wait} (null: nothing) holds; polls fast at first, then every 10 ms
   * (100 ms through a remote engine).
   */
  static void await(Wait wait, RunningFixture f, long deadline) throws NotReady {
    if (wait == null) {
      requireRunning(f, "the process to run");
      return;
    }
    long own = ownDeadline(wait, deadline);
    if (wait instanceof Wait.AllOf all) {
      for (Wait w : all.waits()) {
        await(w, f, own);
      }
      return;
    }
    long sleep = 1;
    long nextLiveness = System.nanoTime();
    while (!holds(wait, f)) {
      if (System.nanoTime() >= nextLiveness) {
        requireRunning(f, wait.toString());
        nextLiveness = System.nanoTime() + LIVENESS_EVERY_NANOS;
      }
      if (System.nanoTime() > own) {
        requireRunning(f, wait.toString()); // an exit explains a timeout best
        throw new NotReady("timed out waiting for " + wait + seen(wait, f));
      }
      sleepMillis(sleep);
      sleep = Math.min(sleep * 2, f.local() ? MAX_SLEEP_MS : MAX_REMOTE_SLEEP_MS);
    }
  }

  private static long ownDeadline(Wait wait, long outer) {
    return wait.timeout() == null ? outer
        : Math.min(outer, System.nanoTime() + wait.timeout().toNanos());
  }

  private static boolean holds(Wait wait, RunningFixture f) {
    if (wait instanceof Wait.LogMessage m) {
      return matchingLines(m, f) >= m.times();
    } else if (wait instanceof Wait.ListeningPort p) {
      return listening(f, p.containerPort());
    } else if (wait instanceof Wait.Http h) {
      return answers(f, h);
    } else if (wait instanceof Wait.Command c) {
      return f.exec(c.command().toArray(String[]::new)).exitCode() == 0;
    } else if (wait instanceof Wait.AllOf a) {
      return a.waits().stream().allMatch(w -> holds(w, f));
    }
    return ((Wait.AnyOf) wait).waits().stream().anyMatch(w -> holds(w, f));
  }

  private static String seen(Wait wait, RunningFixture f) {
    return wait instanceof Wait.LogMessage m
        ? " (seen " + matchingLines(m, f) + " of " + m.times() + ")" : "";
  }

  private static void requireRunning(RunningFixture f, String awaited) throws NotReady {
    ContainerInfo info = f.container().inspect();
    if (!info.isRunning()) {
      throw new NotReady("the container exited with code " + info.exitCode()
          + " while waiting for " + awaited);
    }
  }

  private static long matchingLines(Wait.LogMessage m, RunningFixture f) {
    Pattern p = Pattern.compile(m.regex());
    return f.logs().lines().filter(l -> p.matcher(l).find()).count();
  }

  /**
   * Reads the container's own TCP tables (through its init's /proc entry, so it is the
   * container's network namespace, and a port proxy accepting on the host does not count).
   */
  static boolean listening(RunningFixture f, int port) {
    long pid = f.pid();
    String hexPort = String.format(Locale.ROOT, ":%04X", port);
    List<String> lines = new ArrayList<>();
    if (f.local()) {
      for (String table : List.of("tcp", "tcp6")) {
        lines.addAll(lines(Path.of("/proc", Long.toString(pid), "net", table)));
      }
    } else {
      lines.addAll(remoteLines(f));
    }
    for (String line : lines) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length > 3 && cols[1].endsWith(hexPort) && cols[3].equals("0A")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Both tables read in the container with one exec (without IPv6, cat still prints the first),
   * for an engine whose /proc is not this machine's.
   */
  private static List<String> remoteLines(RunningFixture f) {
    try {
      return f.container().exec("cat", "/proc/net/tcp", "/proc/net/tcp6").stdout().lines()
          .toList();
    } catch (RuntimeException e) {
      return List.of(); // gone, or no cat in the image: requireRunning says the first
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return List.of(); // the process is gone; requireRunning says so
    } catch (IOException e) {
      return new ArrayList<>();
    }
  }

  private static boolean answers(RunningFixture f, Wait.Http h) {
    try {
      URI uri = URI.create("http://" + f.host() + ":" + f.hostPort(h.containerPort()) + h.path());
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(1000);
      try {
        return c.getResponseCode() == h.status();
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleepMillis(long ms) throws NotReady {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotReady("interrupted while waiting");
    }
  }
}
