package dev.berth.testsupport;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds layer tars in memory, entry by entry, exactly as written: names are not cleaned, so
 * tests can feed {@code ../x} and {@code /etc/x}. Every entry has owner 0:0 and a fixed mtime
 * unless a customiser changes them.
 */
public final class TarBuilder {
  /** The mtime every entry gets unless customised. */
  public static final Instant MTIME = Instant.parse("2020-01-02T03:04:05Z");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());

  public TarBuilder() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
  }

  public TarBuilder dir(String name) {
    return dir(name, e -> {});
  }

  public TarBuilder dir(String name, Consumer<TarArchiveEntry> customise) {
    return add(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, 0755), customise, null);
  }

  public TarBuilder file(String name, String content) {
    return file(name, content, e -> {});
  }

  public TarBuilder file(String name, String content, Consumer<TarArchiveEntry> customise) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0644);
    e.setSize(data.length);
    return add(e, customise, data);
  }

  public TarBuilder symlink(String name, String target) {
    return symlink(name, target, e -> {});
  }

  public TarBuilder symlink(String name, String target, Consumer<TarArchiveEntry> customise) {
    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
    e.setLinkName(target);
    return add(e, customise, null);
  }

  public TarBuilder hardlink(String name, String target) {
    TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
    e.setLinkName(target);
    return add(e, x -> {}, null);
  }

  public TarBuilder node(String name, byte type, int major, int minor, Consumer<TarArchiveEntry> customise) {
    TarArchiveEntry e = entry(name, type, 0644);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return add(e, customise, null);
  }

  /** An OCI whiteout of {@code name} in {@code dir} ("" for the top). */
  public TarBuilder whiteout(String dir, String name) {
    return file(dir.isEmpty() ? ".wh." + name : dir + "/.wh." + name, "");
  }

  /** An OCI opaque marker for {@code dir}. */
  public TarBuilder opaque(String dir) {
    return file(dir + "/.wh..wh..opq", "");
  }

  /** @return the finished, uncompressed tar */
  public byte[] bytes() {
    try {
      tar.finish();
      tar.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public ByteArrayInputStream stream() {
    return new ByteArrayInputStream(bytes());
  }

  public byte[] gzipped() {
    return compress(bytes(), GZIPOutputStream::new);
  }

  public byte[] zstd() {
    return compress(bytes(), ZstdOutputStream::new);
  }

  private interface Compressor {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static byte[] compress(byte[] data, Compressor compressor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream c = compressor.wrap(out)) {
      c.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static TarArchiveEntry entry(String name, byte type, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setMode(mode);
    e.setIds(0, 0);
    e.setModTime(FileTime.from(MTIME));
    return e;
  }

  private TarBuilder add(TarArchiveEntry e, Consumer<TarArchiveEntry> customise, byte[] data) {
    customise.accept(e);
    try {
      tar.putArchiveEntry(e);
      if (data != null) {
        tar.write(data);
      }
      tar.closeArchiveEntry();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return this;
  }
}
