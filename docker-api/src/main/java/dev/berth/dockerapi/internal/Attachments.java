package dev.berth.dockerapi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Clients attached to containers this server relays: Docker's {@code run} attaches before it
 * starts, so an attachment waits here until the container's streams exist, then gets every
 * byte of stdout and stderr (framed unless the container has a terminal) and may feed stdin.
 */
final class Attachments {
  /**
   * Copies a client's stdin to a process, flushing each chunk: the process's stream is
   * buffered, and a terminal's keystrokes must arrive as they are typed, not at end of input.
   */
  static void pipeStdin(InputStream from, OutputStream to) throws IOException {
    byte[] buf = new byte[8192];
    for (int n; (n = from.read(buf)) >= 0; ) {
      to.write(buf, 0, n);
      to.flush();
    }
  }

  /** One attached client. */
  static final class Attachment {
    final OutputStream stdout;
    final OutputStream stderr;
    final InputStream stdin;
    final CompletableFuture<Void> ended = new CompletableFuture<>();

    Attachment(OutputStream stdout, OutputStream stderr, InputStream stdin) {
      this.stdout = stdout;
      this.stderr = stderr;
      this.stdin = stdin;
    }
  }

  private final Map<String, List<Attachment>> byContainer = new ConcurrentHashMap<>();

  void add(String containerId, Attachment a) {
    byContainer.computeIfAbsent(containerId, k -> new CopyOnWriteArrayList<>()).add(a);
  }

  List<Attachment> of(String containerId) {
    return byContainer.getOrDefault(containerId, List.of());
  }

  /** Writes to every attachment's stream; one that fails (client gone) is dropped. */
  void relay(String containerId, boolean err, byte[] b, int len) {
    for (Attachment a : of(containerId)) {
      OutputStream out = err ? a.stderr : a.stdout;
      if (out == null) {
        continue;
      }
      try {
        out.write(b, 0, len);
      } catch (IOException | RuntimeException e) {
        remove(containerId, a);
        a.ended.complete(null);
      }
    }
  }

  void remove(String containerId, Attachment a) {
    List<Attachment> list = byContainer.get(containerId);
    if (list != null) {
      list.remove(a);
    }
  }

  /** The container's streams ended: every attachment ends. */
  void endAll(String containerId) {
    List<Attachment> list = byContainer.remove(containerId);
    if (list != null) {
      list.forEach(a -> a.ended.complete(null));
    }
  }
}
