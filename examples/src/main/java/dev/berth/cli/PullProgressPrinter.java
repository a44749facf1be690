package dev.berth.cli;

import dev.berth.PullListener;
import dev.berth.PullProgress;
import dev.berth.PullProgress.Status;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints pull progress as Docker does: on a terminal one line per layer, rewritten in place
 * with ANSI cursor movement and a progress bar; otherwise a plain line per change of status.
 */
final class PullProgressPrinter implements PullListener {
  private static final int BAR = 50;
  private static final String ESC = "\033[";

  private final PrintStream out;
  private final boolean ansi;
  private final List<String> lines = new ArrayList<>();
  private final Map<String, Status> lastStatus = new HashMap<>();
  private boolean downloaded;

  PullProgressPrinter(PrintStream out, boolean ansi) {
    this.out = out;
    this.ansi = ansi;
  }

  @Override
  public synchronized void onProgress(PullProgress p) {
    if (p.layer() == null) {
      return; // image-level steps: the caller prints the header and the summary
    }
    if (p.status() != Status.ALREADY_EXISTS) {
      downloaded = true;
    }
    String id = p.layer().shortHex();
    if (ansi) {
      rewrite(id, line(p));
    } else if (lastStatus.put(id, p.status()) != p.status()) {
      out.println(id + ": " + p.status().words());
    }
    out.flush();
  }

  /** @return true when any layer was not already stored: Docker's "Downloaded newer image" */
  synchronized boolean downloadedAny() {
    return downloaded;
  }

  private void rewrite(String id, String text) {
    int index = lines.indexOf(id);
    if (index < 0) {
      lines.add(id);
      out.print(text + "\n");
      return;
    }
    int up = lines.size() - index;
    out.print(ESC + up + "A" + ESC + "2K\r" + text + ESC + up + "B\r");
  }

  private static String line(PullProgress p) {
    String head = p.layer().shortHex() + ": " + p.status().words();
    if (p.total() <= 0 || p.current() < 0) {
      return head;
    }
    // PullProgress words the amounts as Docker does ("12.5MB/48.2MB"): reuse its text
    String amounts = p.toString().substring(head.length()).strip();
    if (amounts.isEmpty()) {
      return head;
    }
    int done = (int) Math.min(BAR, p.current() * BAR / p.total());
    String bar = "=".repeat(Math.max(0, done - 1)) + (done > 0 ? ">" : "") + " ".repeat(BAR - done);
    return head + " [" + bar + "]  " + amounts;
  }
}
