package dev.berth.dockerapi.internal;

import dev.berth.BerthException;
import dev.berth.Container;
import dev.berth.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code docker cp} as the API carries it: {@code GET archive} answers a tar of a container path
 * (with its stat in {@code X-Docker-Container-Path-Stat}), {@code PUT archive} unpacks a tar into
 * a container directory, {@code HEAD archive} stats. The tar passes through a private temp
 * directory and Berth's own copy, which resolves every path inside the container; an entry that
 * would land outside the target is refused (400) before anything is copied.
 */
final class ArchiveRoutes {
  /** Bound on an uploaded archive (a build context or a copied tree). */
  static final long MAX_TAR = 8L << 30;

  private final ContainerRoutes containers;

  ArchiveRoutes(ContainerRoutes containers) {
    this.containers = containers;
  }

  void register(Router r) {
    String path = "/containers/([^/]+)/archive";
    r.on("GET", path, this::get);
    r.on("HEAD", path, this::head);
    r.on("PUT", path, this::put);
  }

  private static String path(Exchange ex) {
    String p = ex.query("path");
    if (p == null || p.isEmpty()) {
      throw ApiException.badRequest("path is required");
    }
    return p;
  }

  /** Copies the container path out into a fresh temp dir; returns the copy. */
  private static Path copyOut(Container c, String path, Path tmp) {
    try {
      c.copyFrom(path, tmp);
    } catch (NotFoundException e) {
      throw ApiException.notFound("Could not find the file " + path + " in container "
          + c.name());
    }
    String name = Path.of(path).getFileName() == null ? "." : Path.of(path).getFileName().toString();
    try (var list = Files.list(tmp)) {
      return list.findFirst().orElse(tmp.resolve(name));
    } catch (IOException e) {
      throw new ApiException(500, "cannot read the copy of " + path + ": " + e.getMessage(), e);
    }
  }

  private void head(Exchange ex, Matcher m) throws IOException {
    Container c = containers.find(m.group(1));
    Path tmp = Files.createTempDirectory("berth-archive-");
    try {
      Path copy = copyOut(c, path(ex), tmp);
      ex.headersOnly(200, Map.of("X-Docker-Container-Path-Stat", stat(copy, path(ex))));
    } finally {
      Temp.delete(tmp);
    }
  }

  private void get(Exchange ex, Matcher m) throws IOException {
    Container c = containers.find(m.group(1));
    String path = path(ex);
    Path tmp = Files.createTempDirectory("berth-archive-");
    try {
      Path copy = copyOut(c, path, tmp);
      String stat = stat(copy, path);
      OutputStream out = ex.streamWithHeaders(200, "application/x-tar",
          Map.of("X-Docker-Container-Path-Stat", stat));
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
          new java.io.BufferedOutputStream(nonClosing(out), 64 * 1024))) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        add(tar, copy, copy.getFileName().toString());
      }
      out.close();
    } finally {
      Temp.delete(tmp);
    }
  }

  private static void add(TarArchiveOutputStream tar, Path file, String name) throws IOException {
    PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class,
        LinkOption.NOFOLLOW_LINKS);
    TarArchiveEntry e;
    if (a.isSymbolicLink()) {
      e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(file).toString());
    } else {
      e = new TarArchiveEntry(file, a.isDirectory() ? name + "/" : name,
          LinkOption.NOFOLLOW_LINKS);
    }
    e.setMode(mode(a) | (a.isDirectory() ? 040000 : a.isSymbolicLink() ? 0120000 : 0100000));
    e.setModTime(a.lastModifiedTime().toMillis());
    tar.putArchiveEntry(e);
    if (a.isRegularFile()) {
      Files.copy(file, tar);
    }
    tar.closeArchiveEntry();
    if (a.isDirectory()) {
      try (var children = Files.list(file)) {
        for (Path child : (Iterable<Path>) children.sorted()::iterator) {
          add(tar, child, name + "/" + child.getFileName());
        }
      }
    }
  }

  private static int mode(PosixFileAttributes a) {
    int mode = 0;
    for (PosixFilePermission p : a.permissions()) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }

  /** Docker's path stat: base64 of {name, size, mode (Go FileMode bits), mtime, linkTarget}. */
  private static String stat(Path file, String containerPath) throws IOException {
    PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class,
        LinkOption.NOFOLLOW_LINKS);
    long mode = mode(a);
    if (a.isDirectory()) {
      mode |= 1L << 31;
    } else if (a.isSymbolicLink()) {
      mode |= 1L << 27;
    }
    var o = Json.object();
    o.put("name", Path.of(containerPath).getFileName() == null ? "/"
        : Path.of(containerPath).getFileName().toString());
    o.put("size", a.size());
    o.put("mode", mode);
    o.put("mtime", a.lastModifiedTime().toInstant().toString());
    o.put("linkTarget", a.isSymbolicLink() ? Files.readSymbolicLink(file).toString() : "");
    return Base64.getEncoder().encodeToString(Json.bytes(o));
  }

  private void put(Exchange ex, Matcher m) throws IOException {
    Container c = containers.find(m.group(1));
    String path = path(ex);
    ex.limitBody(MAX_TAR, "the archive");
    Path tmp = Files.createTempDirectory("berth-archive-");
    try {
      Path root = tmp.resolve("root");
      Files.createDirectory(root);
      unpack(ex.body(), root);
      try (var list = Files.list(root)) {
        for (Path top : (Iterable<Path>) list::iterator) {
          c.copyTo(top, path);
        }
      } catch (BerthException e) {
        if (String.valueOf(e.getMessage()).contains("no such") || String.valueOf(e.getMessage()).contains("No such")) {
          throw ApiException.notFound("Could not find the file " + path + " in container " + c.name());
        }
        throw e;
      }
      ex.whole(200, null, new byte[0]);
    } finally {
      Temp.delete(tmp);
    }
  }

  /** Unpacks a tar under {@code root}; entries escaping it (.., absolute, via links) → 400. */
  static void unpack(InputStream body, Path root) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(body)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        Path target = safe(root, e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isSymbolicLink()) {
          Files.createDirectories(target.getParent());
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
          Path source = safe(root, e.getLinkName());
          Files.createDirectories(target.getParent());
          Files.deleteIfExists(target);
          Files.createLink(target, source);
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          if (Files.isSymbolicLink(target.getParent())) {
            throw ApiException.badRequest("archive entry " + e.getName() + " goes through a"
                + " symbolic link");
          }
          Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
          continue; // devices and fifos are not copied into containers
        }
        if (!e.isSymbolicLink()) {
          Files.setPosixFilePermissions(target, permissions(e.getMode()));
          Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(
              e.getModTime().toInstant()));
        }
      }
    } catch (BodyStream.BodyTooLargeException tooLarge) {
      throw new ApiException(413, tooLarge.getMessage());
    } catch (IOException | IllegalArgumentException malformed) {
      if (malformed instanceof java.io.InterruptedIOException) {
        throw malformed;
      }
      throw ApiException.badRequest("malformed tar archive: " + malformed.getMessage());
    }
  }

  private static Path safe(Path root, String name) {
    Path p = root.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
    if (!p.startsWith(root)) {
      throw ApiException.badRequest("archive entry " + name + " would land outside the target"
          + " directory; nothing was copied");
    }
    for (Path parent = p.getParent(); parent != null && parent.startsWith(root) && !parent.equals(root);
        parent = parent.getParent()) {
      if (Files.isSymbolicLink(parent)) {
        throw ApiException.badRequest("archive entry " + name + " goes through the symbolic "
            + "link " + root.relativize(parent) + "; nothing was copied");
      }
    }
    return p;
  }

  private static java.util.Set<PosixFilePermission> permissions(int mode) {
    java.util.Set<PosixFilePermission> s = java.util.EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values();
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        s.add(all[i]);
      }
    }
    return s;
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
