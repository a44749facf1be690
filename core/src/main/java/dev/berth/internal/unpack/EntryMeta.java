package dev.berth.internal.unpack;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The metadata of one tar entry, already mapped to what goes on disk.
 *
 * @param uid owner after the id mapping
 * @param gid group after the id mapping
 * @param perm permission bits including setuid, setgid and sticky
 * @param atime access time (the mtime when the archive has none)
 * @param mtime modification time
 * @param xattrs extended attributes from PAX headers, in archive order
 */
record EntryMeta(int uid, int gid, int perm, Instant atime, Instant mtime, Map<String, byte[]> xattrs) {
  private static final String SCHILY = "SCHILY.xattr.";
  private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

  static EntryMeta of(TarArchiveEntry entry, UnpackOptions options, Notes notes, String path) {
    Instant mtime = entry.getLastModifiedTime().toInstant();
    Instant atime = entry.getLastAccessTime() == null ? mtime : entry.getLastAccessTime().toInstant();
    return new EntryMeta(
        options.uidMap().applyAsInt((int) entry.getLongUserId()),
        options.gidMap().applyAsInt((int) entry.getLongGroupId()),
        entry.getMode() & 07777, atime, mtime, xattrs(entry, notes, path));
  }

  private static Map<String, byte[]> xattrs(TarArchiveEntry entry, Notes notes, String path) {
    Map<String, String> pax = entry.getExtraPaxHeaders();
    if (pax.isEmpty()) {
      return Map.of();
    }
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    pax.forEach((key, value) -> {
      if (key.startsWith(SCHILY)) {
        addSchily(xattrs, key.substring(SCHILY.length()), value, notes, path);
      } else if (key.startsWith(LIBARCHIVE)) {
        String name = URLDecoder.decode(key.substring(LIBARCHIVE.length()), StandardCharsets.UTF_8);
        add(xattrs, name, Base64.getDecoder().decode(value), notes, path);
      }
    });
    return xattrs;
  }

  private static void addSchily(Map<String, byte[]> xattrs, String name, String value, Notes notes, String path) {
    // commons-compress decodes PAX values as UTF-8, so a binary value (a security.capability)
    // arrives damaged; skipping it is better than writing wrong bytes.
    if (value.indexOf('\uFFFD') >= 0) {
      notes.add("xattr skipped, binary SCHILY.xattr value not readable", path + " " + name);
      return;
    }
    add(xattrs, name, value.getBytes(StandardCharsets.UTF_8), notes, path);
  }

  private static void add(Map<String, byte[]> xattrs, String name, byte[] value, Notes notes, String path) {
    // An archive must not be able to set overlayfs's own xattrs: they would make overlayfs hide
    // lower layers or redirect lookups when the directory is mounted.
    if (name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.")) {
      notes.add("overlay xattr from the archive ignored", path + " " + name);
      return;
    }
    xattrs.put(name, value);
  }
}
