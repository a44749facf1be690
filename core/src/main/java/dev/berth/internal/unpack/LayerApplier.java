package dev.berth.internal.unpack;

import dev.berth.BerthException;
import dev.berth.UnsafeArchiveException;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Stat;
import dev.berth.internal.linux.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/** Applies the entries of one layer, in order, to one root. Single use, single thread. */
final class LayerApplier {
  private static final int BUFFER_SIZE = 1 << 20;
  private static final String WHITEOUT_PREFIX = ".wh.";
  private static final int CREATE_FILE =
      Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;
  private static final int OPEN_DIR = Fcntl.O_RDONLY | Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;

  private final InRoot root;
  private final UnpackOptions options;
  private final String layer;
  private final Notes notes = new Notes();
  private final List<UnpackSummary.DeferredOwner> deferred =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final MetadataWriter metadata;
  private final DirFixups dirs = new DirFixups();
  private final Whiteouts whiteouts;
  /** FLATTEN: physical paths this layer wrote, and their ancestors (OCI: whiteouts spare them). */
  private final Set<String> upper = new HashSet<>();
  /** OVERLAY: brings hardlink targets up from the layers below. */
  private final CopyUp copyUp;
  private final byte[] heap = new byte[BUFFER_SIZE];
  private final ByteBuffer direct = ByteBuffer.allocateDirect(BUFFER_SIZE);
  /** Regular files go to writer threads; null: all on this thread. */
  private final FileWriters writers;
  /** The writers' handle on the cached parent directory, and the generation it was made in. */
  private FileWriters.Dir writerDir;
  private long writerDirGeneration = -1;
  private long bytes;

  LayerApplier(InRoot root, Path realRoot, UnpackOptions options, String layer, LowerLayers lowers,
      boolean mayChown, boolean parallel) {
    this.root = root;
    this.writers = parallel ? new FileWriters() : null;
    this.options = options;
    this.layer = layer;
    this.metadata = new MetadataWriter(mayChown, notes, realRoot, options.deferOwners() ? deferred : null);
    this.whiteouts = new Whiteouts(root, options, layer, upper);
    this.copyUp = new CopyUp(root, options, layer, lowers, metadata, dirs, notes);
  }

  void apply(TarArchiveEntry entry, InputStream content) throws IOException {
    EntryName name = EntryName.of(entry.getName());
    if (name.escaped()) {
      notes.add("name climbs above the root with '..'; kept inside it", entry.getName());
    }
    if (name.name().startsWith(WHITEOUT_PREFIX)) {
      barrier();
      whiteouts.apply(name, entry.getName());
      return;
    }
    if (name.isRoot()) {
      applyToRoot(entry, name);
      return;
    }
    if (writers != null && writers.mustWaitBeforeResolving(name.parent())) {
      barrier();
    }
    int parent = root.parent(name.parent());
    if (writers != null && writers.mustWaitFor(physical(name))) {
      barrier();
    }
    if (!create(entry, content, parent, name)) {
      return;
    }
    if (options.mode() == UnpackMode.FLATTEN) {
      markUpper(root.physical(name.parent()), name.name());
    }
  }

  UnpackSummary finish(long entries) {
    barrier();
    releaseWriterDir();
    root.invalidate();
    dirs.applyAll(root);
    long written = writers == null ? 0 : writers.written();
    return new UnpackSummary(entries, bytes + written + copyUp.bytes(), notes.lines(),
        List.copyOf(deferred));
  }

  /** After a failure: waits for the writers, so the caller can remove the layer under no one. */
  void abandon() {
    if (writers != null) {
      writers.quiesce();
    }
    releaseWriterDir();
  }

  private void barrier() {
    if (writers != null) {
      writers.barrier();
    }
  }

  private void releaseWriterDir() {
    if (writerDir != null) {
      writerDir.release();
      writerDir = null;
      writerDirGeneration = -1;
    }
  }

  /** @return where the entry is, relative to the root with symlinks resolved; its parent is cached */
  private String physical(EntryName name) {
    String parent = root.physical(name.parent());
    return parent.isEmpty() ? name.name() : parent + "/" + name.name();
  }

  /** @return whether something was created */
  private boolean create(TarArchiveEntry entry, InputStream content, int parent, EntryName name)
      throws IOException {
    // The link flags first: commons-compress calls any name ending in '/' a directory.
    if (entry.isSymbolicLink()) {
      replacing(parent, name, () -> Syscalls.symlinkat(entry.getLinkName(), parent, name.name()));
      metadata.applyAt(parent, name.name(), meta(entry, name), name.path(), true);
    } else if (entry.isLink()) {
      barrier(); // its target may be a file still being written
      return hardlink(entry, parent, name);
    } else if (entry.isFIFO() || entry.isCharacterDevice() || entry.isBlockDevice()) {
      return node(entry, parent, name);
    } else if (entry.isDirectory()) {
      directory(entry, parent, name);
    } else if (entry.isFile()) {
      regularFile(entry, content, parent, name);
    } else {
      notes.add("entry of unsupported tar type '" + (char) entry.getLinkFlag() + "' skipped", name.path());
      return false;
    }
    return true;
  }

  private static boolean isDirectory(TarArchiveEntry entry) {
    return entry.isDirectory() && !entry.isSymbolicLink() && !entry.isLink() && !entry.isFIFO()
        && !entry.isCharacterDevice() && !entry.isBlockDevice();
  }

  private void applyToRoot(TarArchiveEntry entry, EntryName name) {
    if (!isDirectory(entry)) {
      throw new UnsafeArchiveException("layer " + layer + ": entry '" + entry.getName()
          + "' tries to replace the root directory with a non-directory; refusing the layer");
    }
    EntryMeta meta = meta(entry, name);
    int fd = Syscalls.openat(root.rootFd(), ".", OPEN_DIR, 0);
    try {
      metadata.applyByFd(fd, meta, "/", false);
    } finally {
      Syscalls.closeQuietly(fd);
    }
    dirs.put("", meta);
  }

  private void directory(TarArchiveEntry entry, int parent, EntryName name) {
    try {
      Syscalls.mkdirat(parent, name.name(), 0700); // the real mode comes at the end
    } catch (LinuxException e) {
      if (e.errno() != Errno.EEXIST) {
        throw e;
      }
    }
    int fd;
    try {
      fd = Syscalls.openat(parent, name.name(), OPEN_DIR, 0);
    } catch (LinuxException e) {
      if (e.errno() != Errno.ENOTDIR && e.errno() != Errno.ELOOP) {
        throw e;
      }
      replacing(parent, name, () -> Syscalls.mkdirat(parent, name.name(), 0700));
      fd = Syscalls.openat(parent, name.name(), OPEN_DIR, 0);
    }
    EntryMeta meta = meta(entry, name);
    try {
      metadata.applyByFd(fd, meta, name.path(), false);
    } finally {
      Syscalls.closeQuietly(fd);
    }
    dirs.put(name.path(), meta);
  }

  private void regularFile(TarArchiveEntry entry, InputStream content, int parent, EntryName name)
      throws IOException {
    if (writers != null && entry.getSize() <= FileWriters.MAX_QUEUED_FILE) {
      queueFile(entry, content, parent, name);
      return;
    }
    int[] fd = new int[1];
    replacing(parent, name, () -> fd[0] = Syscalls.openat(parent, name.name(), CREATE_FILE, 0600));
    try {
      copy(content, fd[0], name.path());
      metadata.applyByFd(fd[0], meta(entry, name), name.path(), true);
    } finally {
      Syscalls.close(fd[0]);
    }
  }

  /** Reads the file's bytes here, in tar order; a writer thread creates it. */
  private void queueFile(TarArchiveEntry entry, InputStream content, int parent, EntryName name)
      throws IOException {
    byte[] data = content.readNBytes((int) entry.getSize());
    if (data.length != entry.getSize()) {
      throw new IOException("entry '" + entry.getName() + "' ends after " + data.length + " of its "
          + entry.getSize() + " bytes: the archive is truncated");
    }
    EntryMeta meta = meta(entry, name);
    if (writerDir == null || writerDirGeneration != root.generation()) {
      releaseWriterDir();
      writerDir = FileWriters.dir(parent);
      writerDirGeneration = root.generation();
    }
    String file = name.name();
    String path = name.path();
    writers.submit(writerDir, physical(name), path, data.length, (dirFd, buffer) -> {
      int[] fd = new int[1];
      replacing(dirFd, file, () -> fd[0] = Syscalls.openat(dirFd, file, CREATE_FILE, 0600));
      try {
        for (int off = 0; off < data.length; ) {
          int n = Math.min(buffer.capacity(), data.length - off);
          buffer.clear();
          buffer.put(data, off, n).flip();
          while (buffer.hasRemaining()) {
            buffer.position(buffer.position() + Syscalls.write(fd[0], buffer, buffer.remaining(), path));
          }
          off += n;
        }
        metadata.applyByFd(fd[0], meta, path, true);
      } finally {
        Syscalls.close(fd[0]);
      }
      return data.length;
    });
  }

  private boolean hardlink(TarArchiveEntry entry, int parent, EntryName name) {
    EntryName target = EntryName.of(entry.getLinkName());
    if (target.escaped() || target.isRoot()) {
      throw new UnsafeArchiveException("layer " + layer + ": hardlink '" + entry.getName() + "' points to '"
          + entry.getLinkName() + "', outside the layer's root; refusing the layer");
    }
    if (target.path().equals(name.path())) {
      notes.add("hardlink to itself skipped", name.path());
      return false;
    }
    int targetDir = targetDir(entry, target);
    try {
      replacing(parent, name, () -> Syscalls.linkat(targetDir, target.name(), parent, name.name(), 0));
    } catch (LinuxException e) {
      throw e.errno() == Errno.ENOENT ? missingLinkTarget(entry, e) : e;
    } finally {
      Syscalls.closeQuietly(targetDir);
    }
    return true;
  }

  /**
   * @return an owned fd of the directory in this root that holds the link's target: FLATTEN
   *     has the layers below in the root already; OVERLAY copies the target up from them when
   *     this layer lacks it
   */
  private int targetDir(TarArchiveEntry entry, EntryName target) {
    int dir;
    try {
      dir = root.openDir(target.parent());
    } catch (LinuxException e) {
      if (options.mode() == UnpackMode.FLATTEN || !InRoot.isMissing(e)) {
        throw missingLinkTarget(entry, e);
      }
      return copyUp.targetDir(entry.getName(), entry.getLinkName(), target);
    }
    if (options.mode() == UnpackMode.FLATTEN || isHere(dir, target.name())) {
      return dir;
    }
    Syscalls.closeQuietly(dir);
    return copyUp.targetDir(entry.getName(), entry.getLinkName(), target);
  }

  /** @return whether {@code name} is in {@code dir} and not a whiteout */
  private static boolean isHere(int dir, String name) {
    try {
      Stat st = Syscalls.statx(dir, name, Fcntl.AT_SYMLINK_NOFOLLOW);
      return !(st.type() == Fcntl.S_IFCHR && st.rdevMajor() == 0 && st.rdevMinor() == 0);
    } catch (LinuxException e) {
      if (e.errno() == Errno.ENOENT) {
        return false;
      }
      throw e;
    }
  }

  private BerthException missingLinkTarget(TarArchiveEntry entry, LinuxException e) {
    return new BerthException("layer " + layer + ": hardlink '" + entry.getName() + "' points to '"
        + entry.getLinkName() + "', which is not in the layer nor in the layers below it: "
        + e.getMessage() + "; the layer is malformed, a layer below deleted the target, or the"
        + " lower layers are missing", e);
  }

  private boolean node(TarArchiveEntry entry, int parent, EntryName name) {
    int type = entry.isFIFO() ? Fcntl.S_IFIFO : entry.isCharacterDevice() ? Fcntl.S_IFCHR : Fcntl.S_IFBLK;
    try {
      replacing(parent, name, () -> Syscalls.mknodat(parent, name.name(), type | 0600,
          entry.getDevMajor(), entry.getDevMinor()));
    } catch (LinuxException e) {
      if (e.errno() != Errno.EPERM || type == Fcntl.S_IFIFO) {
        throw e;
      }
      notes.add("device node skipped (mknod not permitted)", name.path());
      return false;
    }
    metadata.applyAt(parent, name.name(), meta(entry, name), name.path(), false);
    return true;
  }

  /** Runs {@code create}; if the name exists, removes it (tar's replace) and runs it again. */
  private static void replacing(int parent, EntryName name, Runnable create) {
    replacing(parent, name.name(), create);
  }

  private static void replacing(int parent, String name, Runnable create) {
    try {
      create.run();
    } catch (LinuxException e) {
      if (e.errno() != Errno.EEXIST) {
        throw e;
      }
      Remover.removeAll(parent, name);
      create.run();
    }
  }

  /**
   * Writes through the fd openat gave (no reopening by path). Java 17 cannot wrap a raw fd in a
   * FileChannel without opening java.io internals, so this is write(2) from one reused direct
   * buffer: the same single copy a FileChannel makes from a heap array.
   */
  private void copy(InputStream in, int fd, String path) throws IOException {
    for (int n = in.read(heap); n >= 0; n = in.read(heap)) {
      direct.clear();
      direct.put(heap, 0, n).flip();
      while (direct.hasRemaining()) {
        direct.position(direct.position() + Syscalls.write(fd, direct, direct.remaining(), path));
      }
      bytes += n;
    }
  }

  private EntryMeta meta(TarArchiveEntry entry, EntryName name) {
    return EntryMeta.of(entry, options, notes, name.path());
  }

  private void markUpper(String physicalParent, String name) {
    String path = physicalParent.isEmpty() ? name : physicalParent + "/" + name;
    for (String p = path; !p.isEmpty() && upper.add(p); p = EntryName.of(p).parent()) {
      // adds the path and its ancestors, stopping at the first already known
    }
  }
}
