package dev.berth.internal.store;

import dev.berth.internal.util.Urandom;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** File operations the store needs to be crash-safe: atomic writes and renames, tree removal. */
public final class FileTrees {
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private FileTrees() {}

  /** Writes {@code content} to a temp file beside {@code target}, syncs it, and renames it over. */
  public static void writeAtomically(Path target, byte[] content) throws IOException {
    writeAtomically(target, content, true);
  }

  /**
   * Writes {@code content} to a temp file beside {@code target} and renames it over, so readers
   * never see part of it.
   *
   * @param durable sync the data before the rename (survives a power cut), at the cost of an
   *     fsync: milliseconds on a busy disk
   */
  public static void writeAtomically(Path target, byte[] content, boolean durable)
      throws IOException {
    writeAtomically(target, content, durable, null);
  }

  /**
   * As {@link #writeAtomically(Path, byte[], boolean)}, and the file has mode {@code mode} from
   * the moment it appears under its name.
   *
   * @param mode the file's permissions, or {@code null} for the temp file's (owner only)
   */
  public static void writeAtomically(Path target, byte[] content, boolean durable,
      Set<PosixFilePermission> mode) throws IOException {
    // Files.createTempFile's name and mode, without its SecureRandom (see Urandom)
    Path tmp = target.resolveSibling(
        "." + target.getFileName() + Long.toUnsignedString(Urandom.nextLong()) + ".tmp");
    boolean moved = false;
    try {
      // the parent is made only when missing: a run writes several files into dirs that exist
      try (FileChannel ch = createNew(tmp)) {
        ch.write(java.nio.ByteBuffer.wrap(content));
        if (durable) {
          ch.force(true);
        }
      }
      if (mode != null) {
        Files.setPosixFilePermissions(tmp, mode);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** A new file, owner only, its parent dirs made when missing. */
  private static FileChannel createNew(Path file) throws IOException {
    Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      return FileChannel.open(file, options, OWNER_ONLY);
    } catch (NoSuchFileException noParent) {
      Files.createDirectories(file.getParent());
      return FileChannel.open(file, options, OWNER_ONLY);
    }
  }

  /**
   * Makes {@code target} hold exactly {@code content} with mode {@code mode}: left alone when it
   * already does (compared byte for byte, cheaper than a hash in a cold JVM), else written as by
   * {@link #writeAtomically(Path, byte[], boolean, Set)} (not synced: a lost copy is written again
   * at the next check). For native code Berth extracts from its jars and checks at every start.
   */
  public static void writeUnlessSame(Path target, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    PosixFileAttributes attrs;
    try {
      attrs = Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException missing) {
      attrs = null;
    }
    // one stat for what the file is and its mode; its bytes only when those hold
    if (attrs == null || !attrs.isRegularFile() || !attrs.permissions().equals(mode)
        || attrs.size() != content.length || !Arrays.equals(content, Files.readAllBytes(target))) {
      writeAtomically(target, content, false, mode);
    }
  }

  /**
   * Renames {@code source} to {@code target} atomically. When {@code target} already exists (a
   * concurrent writer put the same content there first) the source is removed instead.
   *
   * @return true when this call put the content in place
   */
  public static boolean moveIntoPlace(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + source + " to " + target
          + " atomically: the store's tmp/ and its final directories must be on one file system", e);
    } catch (FileSystemException e) {
      // rename(2) onto a non-empty directory fails with ENOTEMPTY, which Java reports as a plain
      // FileSystemException: either way the content is already there.
      if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
      deleteRecursively(source);
      return false;
    }
  }

  /**
   * Removes a tree, including directories whose mode forbids it to their owner (images contain
   * 0555 directories). Does not follow symlinks. A missing path is not an error.
   *
   * <p>Each entry is unlinked by name relative to its open directory ({@code unlinkat}), with no
   * stat ahead: only an entry that will not unlink as a file is looked at (a directory is then
   * emptied the same way). A walk with {@code Files} stats every entry twice (the walk's
   * attributes, then the delete's own lstat): a container's dir is ~20 entries, a layer
   * thousands.
   */
  public static void deleteRecursively(Path root) throws IOException {
    PosixFileAttributes attrs;
    try {
      attrs = Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException gone) {
      return;
    }
    if (!attrs.isDirectory()) {
      Files.deleteIfExists(root);
      return;
    }
    makeWritable(root, attrs.permissions());
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      if (!(entries instanceof SecureDirectoryStream<Path> dir)) {
        throw new IOException("cannot remove " + root + ": its file system opens no directory by descriptor");
      }
      deleteContents(dir);
    } catch (NoSuchFileException gone) {
      return;
    }
    Files.deleteIfExists(root);
  }

  private static void deleteContents(SecureDirectoryStream<Path> dir) throws IOException {
    for (Path entry : dir) {
      if (removedAsFile(dir, entry)) {
        continue;
      }
      Path name = entry.getFileName();
      try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
        deleteContents(sub);
        dir.deleteDirectory(name);
      } catch (NoSuchFileException gone) {
        // removed meanwhile
      }
    }
  }

  /**
   * Unlinks entry as a file. @return false for a directory, made writable to be emptied; a
   * failure on anything else is thrown
   */
  private static boolean removedAsFile(SecureDirectoryStream<Path> dir, Path entry) throws IOException {
    Path name = entry.getFileName();
    try {
      dir.deleteFile(name);
      return true;
    } catch (NoSuchFileException gone) {
      return true;
    } catch (FileSystemException notAFile) {
      PosixFileAttributes attrs;
      try {
        attrs = dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .readAttributes();
      } catch (NoSuchFileException gone) {
        return true;
      }
      if (!attrs.isDirectory()) {
        throw notAFile;
      }
      makeWritable(entry, attrs.permissions());
      return false;
    }
  }

  /**
   * Gives the owner rwx on a directory that lacks any (an overlay's work/work is 000), so its
   * entries can be listed and go. By path (chmod): a change through an open descriptor would
   * need to open it first, which its owner may not when it is not root.
   */
  private static void makeWritable(Path dir, Set<PosixFilePermission> perms) {
    if (perms.contains(PosixFilePermission.OWNER_WRITE) && perms.contains(PosixFilePermission.OWNER_EXECUTE)
        && perms.contains(PosixFilePermission.OWNER_READ)) {
      return;
    }
    Set<PosixFilePermission> more = EnumSet.noneOf(PosixFilePermission.class);
    more.addAll(perms);
    more.add(PosixFilePermission.OWNER_READ);
    more.add(PosixFilePermission.OWNER_WRITE);
    more.add(PosixFilePermission.OWNER_EXECUTE);
    try {
      Files.setPosixFilePermissions(dir, more);
    } catch (IOException | UnsupportedOperationException ignored) {
      // the delete that follows reports the real problem
    }
  }
}
