package dev.berth.internal.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The raw binding to libc, by JNA direct mapping (faster than interface mapping: no proxy, no
 * per-call reflection). Paths and names are NUL-terminated UTF-8 {@code byte[]} so that the
 * encoding never depends on the JVM's locale. Nothing here is used outside this package; {@link
 * Syscalls} turns errno into {@link LinuxException}.
 *
 * <p>{@code syscall}, {@code openat}, {@code fcntl} and {@code prctl} are variadic in C; calling them with a fixed signature is
 * sound on x86_64 and aarch64 Linux, where variadic integer arguments travel in the same registers
 * as fixed ones.
 */
final class LibC {
  static {
    JnaBoot.prepare();
    Native.register(LibC.class, NativeLibrary.getInstance("c"));
  }

  private LibC() {}

  static native long syscall(long number, int dirfd, byte[] path, byte[] how, long size)
      throws LastErrorException;

  static native int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

  static native int memfd_create(byte[] name, int flags) throws LastErrorException;

  static native long sendfile(int outFd, int inFd, Pointer offset, long count) throws LastErrorException;

  static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

  static native int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native int mkdirat(int dirfd, byte[] path, int mode) throws LastErrorException;

  static native int mknodat(int dirfd, byte[] path, int mode, long dev) throws LastErrorException;

  static native int symlinkat(byte[] target, int dirfd, byte[] path) throws LastErrorException;

  static native int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags)
      throws LastErrorException;

  static native int unlinkat(int dirfd, byte[] path, int flags) throws LastErrorException;

  static native int renameat2(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags)
      throws LastErrorException;

  static native long readlinkat(int dirfd, byte[] path, byte[] buf, long size)
      throws LastErrorException;

  static native int fchownat(int dirfd, byte[] path, int uid, int gid, int flags)
      throws LastErrorException;

  static native int fchown(int fd, int uid, int gid) throws LastErrorException;

  static native int fchmodat(int dirfd, byte[] path, int mode, int flags) throws LastErrorException;

  static native int fchmod(int fd, int mode) throws LastErrorException;

  static native int utimensat(int dirfd, byte[] path, long[] times, int flags)
      throws LastErrorException;

  static native int futimens(int fd, long[] times) throws LastErrorException;

  static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf)
      throws LastErrorException;

  static native int fsetxattr(int fd, byte[] name, byte[] value, long size, int flags)
      throws LastErrorException;

  static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags)
      throws LastErrorException;

  static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size)
      throws LastErrorException;

  static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

  static native long flistxattr(int fd, byte[] list, long size) throws LastErrorException;

  static native long write(int fd, ByteBuffer buf, long count) throws LastErrorException;

  static native long read(int fd, byte[] buf, long count) throws LastErrorException;

  /** {@code fds}: struct pollfd as two ints each, fd, then events | revents << 16 (little-endian). */
  static native int poll(int[] fds, long nfds, int timeout) throws LastErrorException;

  static native Pointer fdopendir(int fd) throws LastErrorException;

  static native Pointer readdir(Pointer dir) throws LastErrorException;

  static native int closedir(Pointer dir) throws LastErrorException;

  static native int flock(int fd, int operation) throws LastErrorException;

  static native int kill(int pid, int sig) throws LastErrorException;

  /** syscall(2) with plain integer arguments (pidfd_open, pidfd_send_signal). */
  static native long syscall(long number, long a1, long a2, long a3, long a4)
      throws LastErrorException;

  static native int getuid();

  static native int geteuid();

  static native int getegid();

  static native int mount(byte[] source, byte[] target, byte[] fstype, long flags, byte[] data)
      throws LastErrorException;

  static native int umount2(byte[] target, int flags) throws LastErrorException;

  static native int capget(int[] header, int[] data) throws LastErrorException;

  static native int capset(int[] header, int[] data) throws LastErrorException;

  static native String strerror(int errnum);
}
