package dev.berth.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.attribute.FileTime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes files into a tar, with fixed times and owners so the same images always give the same
 * bytes (as {@code docker save} and {@code skopeo} do).
 */
final class TarOutput implements LayoutOutput {
  private final TarArchiveOutputStream tar;

  TarOutput(TarArchiveOutputStream tar) {
    this.tar = tar;
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  @Override
  public void directory(String path) throws IOException {
    TarArchiveEntry e = entry(path + "/");
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  @Override
  public void file(String path, byte[] content) throws IOException {
    TarArchiveEntry e = entry(path);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  @Override
  public void file(String path, long size, InputStream content) throws IOException {
    TarArchiveEntry e = entry(path);
    e.setSize(size);
    tar.putArchiveEntry(e);
    content.transferTo(tar); // the tar refuses more or fewer bytes than the header says
    tar.closeArchiveEntry();
  }

  /** A directory when the path ends in {@code /} (mode 0755), else a file (0644). */
  private static TarArchiveEntry entry(String path) {
    TarArchiveEntry e = new TarArchiveEntry(path);
    e.setModTime(FileTime.fromMillis(0));
    e.setIds(0, 0);
    e.setNames("", "");
    return e;
  }
}
