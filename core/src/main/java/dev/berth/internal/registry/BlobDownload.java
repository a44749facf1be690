package dev.berth.internal.registry;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.DigestMismatchException;
import dev.berth.RegistryException;
import dev.berth.internal.util.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import okhttp3.Response;

/**
 * Streams one blob into the caller's sink while hashing it, resuming with {@code Range} after a
 * broken connection, and verifies size and digest at the end.
 */
final class BlobDownload {
  private final Transport transport;
  private final RegistryListener listener;
  private final int maxAttemptsWithoutProgress;
  private final Repository repo;
  private final Digest digest;
  private final long size;
  private final OutputStream sink;
  private final MessageDigest hash;
  private final Target target;
  private long written;

  BlobDownload(Transport transport, RegistryConfig config, Repository repo, Digest digest,
      long size, OutputStream sink) {
    this.transport = transport;
    this.listener = config.listener();
    this.maxAttemptsWithoutProgress = config.retry().maxAttempts();
    this.repo = repo;
    this.digest = digest;
    this.size = size;
    this.sink = sink;
    this.hash = Hashes.hasher(digest.algorithm());
    this.target = new Target(Target.Kind.BLOB, "blob " + digest + " of " + repo);
  }

  /** Runs the download; see {@link RegistryClient#fetchBlob}. */
  void run() {
    int failures = 0;
    while (true) {
      long before = written;
      try {
        fetchFrom(written);
        verify();
        return;
      } catch (IOException broken) {
        failures = written > before ? 1 : failures + 1;
        if (failures >= maxAttemptsWithoutProgress) {
          throw new RegistryException("downloading " + target.subject() + " broke off after "
              + written + " bytes and could not be resumed: " + broken, broken);
        }
      }
    }
  }

  private void fetchFrom(long offset) throws IOException {
    Exchange x = Exchange.get(repo.registry(), repo.name() + "/blobs/" + digest,
        List.of(repo.pullScope()), target).expect(200, 206);
    if (offset > 0) {
      x = x.header("Range", "bytes=" + offset + "-");
    }
    try (Response resp = transport.execute(x); InputStream in = resp.body().byteStream()) {
      if (offset > 0) {
        boolean resumed = resp.code() == 206 && startsAt(resp, offset);
        listener.onResume(digest.toString(), offset, resumed);
        if (!resumed) {
          in.skipNBytes(offset); // whole blob again: the bytes we have are already hashed
        }
      }
      copy(in);
    }
  }

  private static boolean startsAt(Response resp, long offset) {
    String range = resp.header("Content-Range", "");
    return range.startsWith("bytes " + offset + "-");
  }

  private void copy(InputStream in) throws IOException {
    byte[] buf = new byte[64 * 1024];
    for (int n; (n = in.read(buf)) > 0; ) {
      if (size >= 0 && written + n > size) {
        throw mismatch("more than the expected " + size + " bytes");
      }
      hash.update(buf, 0, n);
      write(buf, n);
      written += n;
    }
  }

  private void write(byte[] buf, int n) {
    try {
      sink.write(buf, 0, n);
    } catch (IOException e) {
      throw new BerthException("cannot store " + target.subject() + ": " + e.getMessage(), e);
    }
  }

  private void verify() {
    if (size >= 0 && written != size) {
      throw mismatch(written + " bytes instead of " + size);
    }
    String actual = digest.algorithm() + ":" + HexFormat.of().formatHex(hash.digest());
    if (!actual.equals(digest.toString())) {
      throw mismatch(actual);
    }
  }

  private DigestMismatchException mismatch(String actual) {
    return new DigestMismatchException(target.subject(), digest.toString(), actual);
  }
}
