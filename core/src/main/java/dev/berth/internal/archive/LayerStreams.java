package dev.berth.internal.archive;

import com.github.luben.zstd.ZstdInputStream;
import dev.berth.internal.manifest.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Recognising and undoing the compressions layers and archives come in. */
final class LayerStreams {
  private LayerStreams() {}

  /** @return the compression the stream's first bytes announce; reads up to 4 bytes */
  static Compression sniff(InputStream in) throws IOException {
    byte[] magic = in.readNBytes(4);
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return Compression.GZIP;
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      return Compression.ZSTD;
    }
    return Compression.NONE;
  }

  /** @return a stream of the uncompressed bytes; closing it closes {@code in} */
  static InputStream decompress(InputStream in, Compression compression) throws IOException {
    return switch (compression) {
      case NONE -> in;
      // gzip layers may hold several members (pigz, concatenated layers): read them all
      case GZIP -> new GZIPInputStream(in, 1 << 16);
      case ZSTD -> new ZstdInputStream(in);
    };
  }
}
