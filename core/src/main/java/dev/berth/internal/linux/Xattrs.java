package dev.berth.internal.linux;

import com.sun.jna.LastErrorException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Extended attributes: set, get and list, on a path (never following a final symlink) or an
 * open fd, with errno turned into {@link LinuxException} as in {@link Syscalls}. Unpacking and
 * layer tars use them for overlay whiteouts, opaque dirs and file capabilities.
 */
public final class Xattrs {
  private Xattrs() {}

  /** fsetxattr(2); {@code what} names the file in a failure message. */
  public static void fsetxattr(int fd, String name, byte[] value, String what) {
    try {
      LibC.fsetxattr(fd, Syscalls.c(name), value, value.length, 0);
    } catch (LastErrorException e) {
      throw Syscalls.fail(e, "fsetxattr", what + " " + name);
    }
  }

  /** lsetxattr(2): sets an xattr on {@code path} itself, not on what a symlink points to. */
  public static void lsetxattr(String path, String name, byte[] value) {
    try {
      LibC.lsetxattr(Syscalls.c(path), Syscalls.c(name), value, value.length, 0);
    } catch (LastErrorException e) {
      throw Syscalls.fail(e, "lsetxattr", path + " " + name);
    }
  }

  /** lgetxattr(2). @return the value, or {@code null} if {@code path} has no such xattr */
  public static byte[] lgetxattr(String path, String name) {
    try {
      long size = LibC.lgetxattr(Syscalls.c(path), Syscalls.c(name), null, 0);
      byte[] value = new byte[(int) size];
      long n = LibC.lgetxattr(Syscalls.c(path), Syscalls.c(name), value, value.length);
      return Arrays.copyOf(value, (int) n);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.ENODATA) {
        return null;
      }
      throw Syscalls.fail(e, "lgetxattr", path + " " + name);
    }
  }

  /** llistxattr(2): the names of {@code path}'s xattrs. */
  public static List<String> llistxattr(String path) {
    try {
      long size = LibC.llistxattr(Syscalls.c(path), null, 0);
      byte[] list = new byte[(int) size];
      return splitNames(list, (int) LibC.llistxattr(Syscalls.c(path), list, list.length));
    } catch (LastErrorException e) {
      throw Syscalls.fail(e, "llistxattr", path);
    }
  }

  /** flistxattr(2); {@code what} names the file in a failure message. */
  public static List<String> flistxattr(int fd, String what) {
    try {
      long size = LibC.flistxattr(fd, null, 0);
      byte[] list = new byte[(int) size];
      return splitNames(list, (int) LibC.flistxattr(fd, list, list.length));
    } catch (LastErrorException e) {
      throw Syscalls.fail(e, "flistxattr", what);
    }
  }

  private static List<String> splitNames(byte[] list, int length) {
    List<String> names = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (list[i] == 0) {
        names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return names;
  }
}
