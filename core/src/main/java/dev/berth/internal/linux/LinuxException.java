package dev.berth.internal.linux;

import dev.berth.BerthException;

/**
 * A libc call failed. Carries the errno, the call and the path so callers can decide on the errno
 * and people can read the message: {@code mknodat("dev/null") failed: EPERM (Operation not
 * permitted)}.
 */
public final class LinuxException extends BerthException {
  private static final long serialVersionUID = 1L;

  private final int errno;
  private final String call;
  private final String path;

  /**
   * @param errno the C errno
   * @param call the libc function, e.g. {@code mknodat}
   * @param path the path or other argument that names what failed; may be empty
   */
  public LinuxException(int errno, String call, String path) {
    super(call + "(\"" + path + "\") failed: " + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
    this.errno = errno;
    this.call = call;
    this.path = path;
  }

  /** @return the C errno, compare with the {@link Errno} constants */
  public int errno() {
    return errno;
  }

  /** @return the libc function that failed */
  public String call() {
    return call;
  }

  /** @return the path the call was about (may be empty) */
  public String path() {
    return path;
  }
}
