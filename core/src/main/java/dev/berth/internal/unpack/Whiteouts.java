package dev.berth.internal.unpack;

import dev.berth.UnsafeArchiveException;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.linux.Xattrs;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** OCI whiteouts ({@code .wh.<name>}) and opaque markers ({@code .wh..wh..opq}). */
final class Whiteouts {
  private static final String OPAQUE = ".wh..wh..opq";
  private static final int PREFIX_LENGTH = ".wh.".length();
  private static final byte[] YES = "y".getBytes(StandardCharsets.US_ASCII);

  private final InRoot root;
  private final UnpackOptions options;
  private final String layer;
  private final Set<String> upper;

  Whiteouts(InRoot root, UnpackOptions options, String layer, Set<String> upper) {
    this.root = root;
    this.options = options;
    this.layer = layer;
    this.upper = upper;
  }

  void apply(EntryName name, String raw) {
    boolean opaque = name.name().equals(OPAQUE);
    String target = name.name().substring(PREFIX_LENGTH);
    if (!opaque && (target.isEmpty() || target.equals(".") || target.equals(".."))) {
      throw new UnsafeArchiveException("layer " + layer + ": whiteout '" + raw
          + "' would remove its own directory or its parent; refusing the layer");
    }
    if (options.mode() == UnpackMode.OVERLAY) {
      overlay(name, opaque, target);
    } else {
      flatten(name, opaque, target);
    }
  }

  private void overlay(EntryName name, boolean opaque, String target) {
    int parent = root.parent(name.parent());
    if (opaque) {
      markOpaque(parent, name);
      return;
    }
    Remover.removeAll(parent, target);
    try {
      Syscalls.mknodat(parent, target, Fcntl.S_IFCHR, 0, 0);
    } catch (LinuxException e) {
      if (e.errno() != Errno.EPERM) {
        throw e;
      }
      throw new UnsupportedEnvironmentException("layer " + layer + ": cannot create the overlay whiteout '"
          + name.sibling(target).path() + "' (" + e.getMessage() + "); this process may not create"
          + " 0/0 character devices: unpack the layers in FLATTEN mode instead, or run as root");
    }
  }

  private void markOpaque(int parent, EntryName name) {
    String xattr = (options.userXattrs() ? "user" : "trusted") + ".overlay.opaque";
    int fd = Syscalls.openat(parent, ".", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC, 0);
    try {
      Xattrs.fsetxattr(fd, xattr, YES, name.parent());
    } catch (LinuxException e) {
      if (e.errno() != Errno.EPERM && e.errno() != Errno.EOPNOTSUPP) {
        throw e;
      }
      throw new UnsupportedEnvironmentException("layer " + layer + ": cannot mark '" + name.parent()
          + "' opaque (" + e.getMessage() + "); without root use user xattrs (overlay mounted with"
          + " userxattr) on a file system that supports them, or unpack in FLATTEN mode");
    } finally {
      Syscalls.closeQuietly(fd);
    }
  }

  private void flatten(EntryName name, boolean opaque, String target) {
    int parent = root.existingParent(name.parent());
    if (parent < 0) {
      return; // nothing below to hide
    }
    String physical = root.physical(name.parent());
    if (opaque) {
      Remover.removeChildrenUnlessUpper(parent, physical, upper);
    } else {
      Remover.removeUnlessUpper(parent, target, physical.isEmpty() ? target : physical + "/" + target, upper);
    }
  }
}
