package dev.berth.internal.unpack;

import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Opens a directory by path as if the root directory were {@code /}: symlinks are followed, but
 * absolute targets and {@code ..} start from, and stop at, the root. Both implementations give
 * the same answers; openat2 does it in the kernel in one call.
 */
interface PathResolver {
  /** Symlinks followed in one resolution before ELOOP, as the kernel's limit. */
  int MAX_SYMLINKS = 40;

  /**
   * @return an {@code O_PATH} fd of the directory {@code path} (cleaned, relative) inside {@code
   *     rootFd}; the caller closes it
   * @throws LinuxException ENOENT, ENOTDIR or ELOOP when there is no such directory
   */
  int openDir(int rootFd, String path);

  static PathResolver of(UnpackOptions.Resolution how) {
    switch (how) {
      case OPENAT2:
        return new Openat2();
      case WALK:
        return new Walk();
      default:
        return Linux.hasOpenat2() ? new Openat2() : new Walk();
    }
  }

  /** The kernel's RESOLVE_IN_ROOT. */
  final class Openat2 implements PathResolver {
    @Override
    public int openDir(int rootFd, String path) {
      return Syscalls.openInRoot(rootFd, path.isEmpty() ? "." : path,
          Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC);
    }
  }

  /**
   * For kernels without openat2: walks one component at a time with O_NOFOLLOW, keeping a stack
   * of directory fds so that {@code ..} goes back to the directory it came from (never above the
   * root), and reads each symlink to push its target's components in front of the rest.
   */
  final class Walk implements PathResolver {
    private static final int DIR_FLAGS = Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;

    @Override
    public int openDir(int rootFd, String path) {
      Deque<Integer> stack = new ArrayDeque<>();
      Deque<String> todo = new ArrayDeque<>(Arrays.asList(path.split("/")));
      try {
        stack.push(Syscalls.openat(rootFd, ".", DIR_FLAGS, 0));
        int links = 0;
        while (!todo.isEmpty()) {
          String part = todo.pop();
          if (part.isEmpty() || part.equals(".")) {
            continue;
          }
          if (part.equals("..")) {
            if (stack.size() > 1) {
              Syscalls.close(stack.pop());
            }
            continue;
          }
          Integer next = openComponent(stack.peek(), part);
          if (next != null) {
            stack.push(next);
            continue;
          }
          if (++links > MAX_SYMLINKS) {
            throw new LinuxException(Errno.ELOOP, "openat", path);
          }
          String target = Syscalls.readlinkat(stack.peek(), part);
          if (target.startsWith("/")) {
            while (stack.size() > 1) {
              Syscalls.close(stack.pop());
            }
          }
          String[] targetParts = target.split("/");
          for (int i = targetParts.length - 1; i >= 0; i--) {
            todo.push(targetParts[i]);
          }
        }
        return stack.pop();
      } finally {
        stack.forEach(Syscalls::closeQuietly);
      }
    }

    /** @return the directory's fd, or null when {@code name} is a symlink to follow */
    private static Integer openComponent(int dirFd, String name) {
      try {
        return Syscalls.openat(dirFd, name, DIR_FLAGS, 0);
      } catch (LinuxException e) {
        if (e.errno() != Errno.ENOTDIR && e.errno() != Errno.ELOOP) {
          throw e;
        }
        try {
          Syscalls.readlinkat(dirFd, name);
          return null;
        } catch (LinuxException notLink) {
          throw e; // a regular file or device in the middle of the path
        }
      }
    }
  }
}
