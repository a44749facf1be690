package dev.berth.internal.build;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.util.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Puts copied files into a layer dir with the owner, mode and mtime the step asks for, and
 * hashes what would be copied (for the cache) without copying it. Parent directories the image
 * already has are recreated with the image's owner and mode, so the layer does not change them.
 */
final class FileStager {
  private static final Instant NO_ATIME = Instant.EPOCH;

  /**
   * How copied files look in the image.
   *
   * @param uid owner, or null to keep the source's (COPY --from without --chown)
   * @param gid group, or null to keep the source's
   * @param mode permission bits for every file and directory, or null to keep the source's
   * @param mtime modification time of every entry
   */
  record Attrs(Integer uid, Integer gid, Integer mode, Instant mtime) {}

  private FileStager() {}

  /** A digest of the entries' targets, types, modes, link targets and contents. */
  static Digest hash(List<CopySource.Entry> entries) {
    MessageDigest sha = Hashes.sha256();
    byte[] buf = new byte[1 << 16];
    for (CopySource.Entry e : entries) {
      Path p = e.source();
      String line = e.target() + "\0" + typeAndMode(p) + "\0";
      sha.update(line.getBytes(StandardCharsets.UTF_8));
      try {
        if (Files.isSymbolicLink(p)) {
          sha.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          try (InputStream in = new DigestInputStream(Files.newInputStream(p), sha)) {
            while (in.read(buf) >= 0) {
              // the digest stream hashes as it reads
            }
          }
        }
      } catch (IOException ex) {
        throw new BerthException("cannot read " + p + " to copy it: " + ex, ex);
      }
      sha.update((byte) '\n');
    }
    return Hashes.finishSha256(sha);
  }

  private static String typeAndMode(Path p) {
    try {
      return Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode",
          LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      throw new BerthException("cannot stat " + p + " to copy it: " + e, e);
    }
  }

  /**
   * Creates the entries under {@code diff}.
   *
   * @param lowersTopFirst the image's layer dirs, to take parent directories' metadata from
   */
  static void stage(List<CopySource.Entry> entries, Path diff, Attrs attrs,
      List<Path> lowersTopFirst) {
    Map<Path, Instant> dirTimes = new java.util.LinkedHashMap<>();
    try {
      for (CopySource.Entry e : entries) {
        Path target = diff.resolve(e.target().replaceFirst("^/+", ""));
        makeParents(diff, target.getParent(), lowersTopFirst, attrs.mtime(), dirTimes);
        copyOne(e.source(), target);
        apply(target, attrs, e.source());
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
          dirTimes.put(target, attrs.mtime());
        }
      }
      // creating children changed their directories' mtimes: set them again, deepest first
      List<Path> dirs = new java.util.ArrayList<>(dirTimes.keySet());
      java.util.Collections.reverse(dirs);
      dirs.forEach(d -> touch(d, dirTimes.get(d)));
    } catch (IOException ex) {
      throw new BerthException("cannot stage copied files in " + diff + ": " + ex, ex);
    }
  }

  private static void copyOne(Path source, Path target) throws IOException {
    if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.deleteIfExists(target);
        Files.createDirectory(target);
      }
    } else if (Files.isSymbolicLink(source)) {
      Files.deleteIfExists(target);
      Files.createSymbolicLink(target, Files.readSymbolicLink(source));
    } else {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING,
          LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static void apply(Path target, Attrs attrs, Path source) throws IOException {
    Map<String, Object> src = Files.readAttributes(source, "unix:uid,gid,mode",
        LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(target, "unix:uid", attrs.uid() != null ? attrs.uid() : src.get("uid"),
        LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(target, "unix:gid", attrs.gid() != null ? attrs.gid() : src.get("gid"),
        LinkOption.NOFOLLOW_LINKS);
    if (!Files.isSymbolicLink(target)) {
      Syscalls.fchmodat(Fcntl.AT_FDCWD, target.toString(),
          attrs.mode() != null ? attrs.mode() : (Integer) src.get("mode") & 07777);
    }
    touch(target, attrs.mtime());
  }

  static void touch(Path target, Instant mtime) {
    Syscalls.utimensat(Fcntl.AT_FDCWD, target.toString(), NO_ATIME, mtime,
        Fcntl.AT_SYMLINK_NOFOLLOW);
  }

  /** Creates missing parents: as the image has them, else root-owned 0755. */
  static void makeParents(Path diff, Path dir, List<Path> lowersTopFirst, Instant mtime,
      Map<Path, Instant> dirTimes) throws IOException {
    if (dir == null || !dir.startsWith(diff) || dir.equals(diff)
        || Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    makeParents(diff, dir.getParent(), lowersTopFirst, mtime, dirTimes);
    Files.createDirectory(dir);
    String rel = diff.relativize(dir).toString();
    Path lower = lowersTopFirst.stream().map(l -> l.resolve(rel))
        .filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)).findFirst().orElse(null);
    if (lower != null && Files.isDirectory(lower, LinkOption.NOFOLLOW_LINKS)) {
      Map<String, Object> a = Files.readAttributes(lower, "unix:uid,gid,mode,lastModifiedTime",
          LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(dir, "unix:uid", a.get("uid"));
      Files.setAttribute(dir, "unix:gid", a.get("gid"));
      Syscalls.fchmodat(Fcntl.AT_FDCWD, dir.toString(), (Integer) a.get("mode") & 07777);
      dirTimes.put(dir, ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime"))
          .toInstant());
    } else {
      Syscalls.fchmodat(Fcntl.AT_FDCWD, dir.toString(), 0755);
      dirTimes.put(dir, mtime);
    }
  }
}
