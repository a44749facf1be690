package dev.berth.internal.engine;

import dev.berth.ImageRef;
import dev.berth.PullListener;
import dev.berth.PullProgress;
import dev.berth.internal.manifest.Descriptor;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Counts bytes written and publishes DOWNLOADING events, at most every 64 KiB or 100 ms. */
final class ProgressStream extends FilterOutputStream {
  private static final long MIN_BYTES = 64 << 10;
  private static final long MIN_NANOS = 100_000_000L;

  private final ImageRef ref;
  private final Descriptor descriptor;
  private final PullListener listener;
  private long written;
  private long reportedBytes;
  private long reportedAt = System.nanoTime();

  ProgressStream(OutputStream out, ImageRef ref, Descriptor descriptor, PullListener listener) {
    super(out);
    this.ref = ref;
    this.descriptor = descriptor;
    this.listener = listener;
    listener.onProgress(new PullProgress(ref, descriptor.digest(), PullProgress.Status.DOWNLOADING,
        0, descriptor.size()));
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    advance(1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    advance(len);
  }

  private void advance(long n) {
    written += n;
    long now = System.nanoTime();
    if (written - reportedBytes >= MIN_BYTES && now - reportedAt >= MIN_NANOS) {
      reportedBytes = written;
      reportedAt = now;
      listener.onProgress(new PullProgress(ref, descriptor.digest(),
          PullProgress.Status.DOWNLOADING, written, descriptor.size()));
    }
  }
}
