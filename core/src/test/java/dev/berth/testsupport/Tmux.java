package dev.berth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A real pseudo-terminal: a tmux server of our own (its own socket) running bash in one
 * detached session of a known size, typed into with send-keys and read with capture-pane.
 */
public final class Tmux implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final String socket = "berth-test-" + UUID.randomUUID();
  private final Map<String, String> env;

  public Tmux(Map<String, String> env, int cols, int rows) {
    this.env = env;
    tmux("new-session", "-d", "-s", "t", "-x", String.valueOf(cols), "-y", String.valueOf(rows),
        "bash --norc --noprofile");
  }

  /** Types {@code keys} (tmux key names, e.g. {@code Enter}, {@code C-d}, or literal text). */
  public void send(String... keys) {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
    args.addAll(List.of(keys));
    tmux(args.toArray(String[]::new));
  }

  /** Types a line of text literally, then Enter. */
  public void type(String line) {
    tmux("send-keys", "-t", "t", "-l", line);
    send("Enter");
  }

  /** @return the visible text of the pane */
  public String screen() {
    return tmux("capture-pane", "-p", "-t", "t");
  }

  /** @return "rows cols" of the pane, as {@code stty size} prints them */
  public String paneSize() {
    return tmux("display-message", "-p", "-t", "t", "#{pane_height} #{pane_width}").strip();
  }

  public void resize(int cols, int rows) {
    tmux("resize-window", "-t", "t", "-x", String.valueOf(cols), "-y", String.valueOf(rows));
  }

  /** Waits until the screen satisfies {@code done}; fails showing the screen otherwise. */
  public String await(String what, Predicate<String> done) throws InterruptedException {
    Instant end = Instant.now().plus(WAIT);
    String s = screen();
    while (!done.test(s)) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("timed out waiting for " + what + "; the screen:\n" + s);
      }
      Thread.sleep(100);
      s = screen();
    }
    return s;
  }

  @Override
  public void close() {
    tmux("kill-server");
  }

  private String tmux(String... args) {
    List<String> argv = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
    argv.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
      pb.environment().putAll(env);
      pb.environment().remove("TMUX");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0 && !args[0].equals("kill-server")) {
        throw new AssertionError(argv + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
