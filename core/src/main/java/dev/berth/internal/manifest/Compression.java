package dev.berth.internal.manifest;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** How a layer blob is compressed, as its media type says. */
public enum Compression {
  /** A plain tar. */
  NONE,
  /** A gzip-compressed tar ({@code +gzip}, and Docker's {@code rootfs.diff.tar.gzip}). */
  GZIP,
  /** A zstd-compressed tar ({@code +zstd}). */
  ZSTD;

  /** @return a stream of the uncompressed bytes; closing it closes {@code in} */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      // concatenated members, as gzip(1) reads them
      case GZIP -> new GzipCompressorInputStream(in, true);
      case ZSTD -> new ZstdInputStreamNoFinalizer(in).setContinuous(false);
      case NONE -> in;
    };
  }
}
