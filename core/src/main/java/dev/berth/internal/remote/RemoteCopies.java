package dev.berth.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthException;
import dev.berth.NotFoundException;
import dev.berth.UnsafeArchiveException;
import dev.berth.internal.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** {@code docker cp} over the archive endpoints: a tar put into, or got from, a container. */
final class RemoteCopies {
  private RemoteCopies() {}

  static void copyTo(DockerHttp http, String id, Path host, String containerPath) {
    checkAbsolute(containerPath);
    if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
      throw new BerthException("cannot copy " + host + " into container " + id.substring(0, 12)
          + ": no such file or directory on the host");
    }
    boolean intoDir = isDirectory(http, id, containerPath);
    String dir = intoDir ? containerPath : parent(containerPath);
    String name = intoDir ? host.getFileName().toString() : base(containerPath);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      add(out, host, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    http.send("PUT", "/containers/" + id + "/archive?path=" + RemoteContainer.q(dir), Map.of(),
        tar.toByteArray()).close();
  }

  private static void add(TarArchiveOutputStream out, Path file, String name) throws IOException {
    boolean dir = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
    TarArchiveEntry e;
    if (Files.isSymbolicLink(file)) {
      e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(file).toString());
    } else {
      e = new TarArchiveEntry(file.toFile(), dir ? name + "/" : name);
    }
    e.setMode(mode(file));
    e.setUserId(0);
    e.setGroupId(0);
    out.putArchiveEntry(e);
    if (!dir && !Files.isSymbolicLink(file)) {
      Files.copy(file, out);
    }
    out.closeArchiveEntry();
    if (dir) {
      try (Stream<Path> children = Files.list(file)) {
        for (Path c : children.sorted().toList()) {
          add(out, c, name + "/" + c.getFileName());
        }
      }
    }
  }

  private static int mode(Path file) throws IOException {
    if (Files.isSymbolicLink(file)) {
      return 0120777;
    }
    int m = 0;
    Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
    for (PosixFilePermission bit : PosixFilePermission.values()) {
      if (p.contains(bit)) {
        m |= 0400 >> bit.ordinal();
      }
    }
    return (Files.isDirectory(file) ? 040000 : 0100000) | m;
  }

  static void copyFrom(DockerHttp http, String id, String containerPath, Path host) {
    checkAbsolute(containerPath);
    boolean intoDir = Files.isDirectory(host);
    if (!intoDir && !Files.isDirectory(host.toAbsolutePath().getParent())) {
      throw new BerthException("cannot copy " + containerPath + " to " + host + ": the directory "
          + host.toAbsolutePath().getParent() + " does not exist");
    }
    Path base = intoDir ? host : host.toAbsolutePath().getParent();
    String rename = intoDir ? null : host.getFileName().toString();
    try (DockerHttp.Response r = http.send("GET", "/containers/" + id + "/archive?path="
        + RemoteContainer.q(containerPath), Map.of(), null);
        TarArchiveInputStream tar = new TarArchiveInputStream(r.body())) {
      for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
        String name = e.getName().replaceAll("/+$", "");
        if (rename != null) {
          int slash = name.indexOf('/');
          name = rename + (slash < 0 ? "" : name.substring(slash));
        }
        Path target = base.resolve(name).normalize();
        if (!target.startsWith(base)) {
          throw new UnsafeArchiveException("the archive of " + containerPath + " leaves "
              + base + " with " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isSymbolicLink()) {
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(e.getLinkName()));
          continue;
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(target, permissions(e.getMode()));
        Files.setLastModifiedTime(target, FileTime.from(e.getLastModifiedDate().toInstant()));
      }
    } catch (NotFoundException e) {
      NotFoundException missing = new NotFoundException("Could not find the file "
          + containerPath + " in container " + id.substring(0, 12) + "; check the path ("
          + e.getMessage() + ")"); // as the local engine says it
      missing.initCause(e);
      throw missing;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission bit : PosixFilePermission.values()) {
      if ((mode & (0400 >> bit.ordinal())) != 0) {
        p.add(bit);
      }
    }
    return p;
  }

  /** HEAD on the archive endpoint: its stat header says whether the path is a directory. */
  private static boolean isDirectory(DockerHttp http, String id, String path) {
    try (DockerHttp.Response r = http.send("HEAD", "/containers/" + id + "/archive?path="
        + RemoteContainer.q(path), Map.of(), null)) {
      String stat = r.headers().get("x-docker-container-path-stat");
      if (stat == null) {
        return false;
      }
      JsonNode j = Json.MAPPER.readTree(Base64.getDecoder().decode(stat));
      return (j.path("mode").asLong() & (1L << 31)) != 0;
    } catch (NotFoundException e) {
      return false; // missing: the put then names what is wrong
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void checkAbsolute(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("container path '" + path
          + "' must be absolute, e.g. /etc/hosts"); // as the local engine says it
    }
  }

  private static String parent(String path) {
    String p = path.replaceAll("/+$", "");
    int slash = p.lastIndexOf('/');
    return slash <= 0 ? "/" : p.substring(0, slash);
  }

  private static String base(String path) {
    String p = path.replaceAll("/+$", "");
    return p.substring(p.lastIndexOf('/') + 1);
  }


}
