package dev.berth.internal.unpack;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** How a layer tar is compressed; the manifest's media type says which. */
public enum Compression {
  /** {@code application/vnd.oci.image.layer.v1.tar}. */
  NONE,
  /** {@code …tar+gzip} (and Docker's {@code …rootfs.diff.tar.gzip}). */
  GZIP,
  /** {@code …tar+zstd}. */
  ZSTD;

  InputStream decompress(InputStream in) throws IOException {
    switch (this) {
      case GZIP:
        // concatenated members, as gzip(1) reads them
        return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
      case ZSTD:
        return new ZstdInputStreamNoFinalizer(in).setContinuous(false);
      default:
        return in;
    }
  }
}
