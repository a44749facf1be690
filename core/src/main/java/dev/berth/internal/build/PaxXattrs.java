package dev.berth.internal.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes an entry's xattrs as a PAX extended header of raw bytes: commons-compress writes PAX
 * values as UTF-8 text, which would mangle binary values such as {@code security.capability}.
 * Each xattr goes in twice: {@code SCHILY.xattr.<name>} with the raw value (GNU tar, Go's
 * archive/tar, so containerd, podman and Docker) and {@code LIBARCHIVE.xattr.<name>} in base64
 * (libarchive, and Berth's own unpacker, which reads binary values only from that form).
 *
 * <p>A reader applies only the last extended header before an entry, so this one carries the
 * path and link target too, and the entry's own ustar name fields get short ASCII stand-ins that
 * need no second header.
 */
final class PaxXattrs {
  /** commons-compress adds its own header for names of 100 bytes or more. */
  private static final int MAX_NAME = 99;
  private static final String HEADER_DIR = "PaxHeaders/";

  private PaxXattrs() {}

  static void writeHeader(TarArchiveOutputStream tar, TarArchiveEntry e,
      Map<String, byte[]> xattrs) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    record(body, "path", e.getName().getBytes(StandardCharsets.UTF_8));
    if (!e.getLinkName().isEmpty()) {
      record(body, "linkpath", e.getLinkName().getBytes(StandardCharsets.UTF_8));
      e.setLinkName(standIn(e.getLinkName(), false, MAX_NAME));
    }
    for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
      record(body, "SCHILY.xattr." + x.getKey(), x.getValue());
      record(body, "LIBARCHIVE.xattr." + URLEncoder.encode(x.getKey(), StandardCharsets.UTF_8),
          Base64.getEncoder().encode(x.getValue()));
    }
    byte[] bytes = body.toByteArray();
    TarArchiveEntry header = new TarArchiveEntry(HEADER_DIR
        + standIn(e.getName(), false, MAX_NAME - HEADER_DIR.length()),
        TarConstants.LF_PAX_EXTENDED_HEADER_LC);
    header.setSize(bytes.length);
    header.setModTime(e.getModTime());
    header.setIds(0, 0);
    header.setUserName("");
    header.setGroupName("");
    tar.putArchiveEntry(header);
    tar.write(bytes);
    tar.closeArchiveEntry();
    e.setName(standIn(e.getName(), e.isDirectory(), MAX_NAME));
  }

  /** {@code "<len> <key>=<value>\n"}, where len counts the whole record, its digits included. */
  private static void record(ByteArrayOutputStream out, String key, byte[] value) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    int rest = k.length + value.length + 3; // space, '=', newline
    int len = rest + String.valueOf(rest).length();
    if (String.valueOf(len).length() != String.valueOf(rest).length()) {
      len++;
    }
    out.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(k);
    out.write('=');
    out.writeBytes(value);
    out.write('\n');
  }

  /** The name itself when it fits a ustar field as ASCII, else its ASCII tail that does. */
  private static String standIn(String name, boolean dir, int maxLength) {
    String ascii = name.replaceAll("[^\\x20-\\x7e]", "_");
    int max = maxLength - (dir ? 1 : 0);
    String base = ascii.endsWith("/") ? ascii.substring(0, ascii.length() - 1) : ascii;
    if (base.length() > max) {
      base = base.substring(base.length() - max);
    }
    return dir ? base + "/" : base;
  }
}
