package dev.berth.internal.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Reads a stream on its own thread so a test can wait for text to appear (terminal dialogues). */
final class OutputWatcher {
  private final StringBuffer text = new StringBuffer();
  private final Thread reader;

  OutputWatcher(InputStream in) {
    reader = new Thread(() -> {
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = in.read(buf)) > 0; ) text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the monitor went away: the text so far is all there is
      }
    }, "output-watcher");
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits until the output contains want; fails with the output so far after the timeout. */
  void await(String want, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (text.indexOf(want) < 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + timeout + " for \"" + want.replace("\r", "\\r").replace("\n", "\\n")
            + "\"; the output so far: \"" + text.toString().replace("\r", "\\r").replace("\n", "\\n") + "\"");
      }
      Thread.sleep(10);
    }
  }

  /** Everything read, once the stream has ended. */
  String all() throws InterruptedException {
    reader.join(Duration.ofSeconds(10).toMillis());
    return text.toString();
  }
}
