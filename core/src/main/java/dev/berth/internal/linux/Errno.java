package dev.berth.internal.linux;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.HashMap;
import java.util.Map;

/** The errno values Berth decides on, with their symbolic names for messages. */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int EXDEV = 18;
  public static final int ENODEV = 19;
  public static final int ENOTDIR = 20;
  public static final int EISDIR = 21;
  public static final int EINVAL = 22;
  public static final int EMFILE = 24;
  public static final int ENOSPC = 28;
  public static final int EROFS = 30;
  public static final int EMLINK = 31;
  public static final int ERANGE = 34;
  public static final int ENAMETOOLONG = 36;
  public static final int ENOSYS = 38;
  public static final int ENOTEMPTY = 39;
  public static final int ELOOP = 40;
  public static final int ENODATA = 61;
  public static final int EOPNOTSUPP = 95;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(ESRCH, "ESRCH"),
          Map.entry(EINTR, "EINTR"), Map.entry(EIO, "EIO"), Map.entry(EBADF, "EBADF"),
          Map.entry(EAGAIN, "EAGAIN"), Map.entry(ENOMEM, "ENOMEM"), Map.entry(EACCES, "EACCES"),
          Map.entry(EBUSY, "EBUSY"), Map.entry(EEXIST, "EEXIST"), Map.entry(EXDEV, "EXDEV"),
          Map.entry(ENODEV, "ENODEV"), Map.entry(ENOTDIR, "ENOTDIR"), Map.entry(EISDIR, "EISDIR"),
          Map.entry(EINVAL, "EINVAL"), Map.entry(EMFILE, "EMFILE"), Map.entry(ENOSPC, "ENOSPC"),
          Map.entry(EROFS, "EROFS"), Map.entry(EMLINK, "EMLINK"), Map.entry(ERANGE, "ERANGE"),
          Map.entry(ENAMETOOLONG, "ENAMETOOLONG"), Map.entry(ENOSYS, "ENOSYS"),
          Map.entry(ENOTEMPTY, "ENOTEMPTY"), Map.entry(ELOOP, "ELOOP"),
          Map.entry(ENODATA, "ENODATA"), Map.entry(EOPNOTSUPP, "EOPNOTSUPP"));

  /** Linux's errno values run from 1 to 133 (EHWPOISON). */
  private static final int MAX = 133;

  private Errno() {}

  /**
   * The errno behind one exception, where it can be told: a {@link LinuxException}'s own, or that
   * of an {@link IOException} from the JDK, which carries only strerror's text for it (a
   * {@link FileSystemException}'s reason, a failed read's or write's whole message). That text is
   * in the process's locale, so it is looked up through the same libc's strerror, in the same
   * process: no wording is assumed.
   *
   * @return the errno, or 0 when {@code t} does not say
   */
  public static int of(Throwable t) {
    if (t instanceof LinuxException e) {
      return e.errno();
    }
    String text = t instanceof FileSystemException fs ? fs.getReason()
        : t instanceof IOException ? t.getMessage() : null;
    return text == null ? 0 : ByText.ERRNOS.getOrDefault(text, 0);
  }

  /** @return the symbolic name, e.g. {@code EPERM}, or {@code errno 123} for unlisted values */
  public static String name(int errno) {
    return NAMES.getOrDefault(errno, "errno " + errno);
  }

  /** @return libc's description, e.g. {@code Operation not permitted} */
  public static String describe(int errno) {
    return LibC.strerror(errno);
  }

  /** strerror's text for each errno, in this process's locale; built on first use. */
  private static final class ByText {
    static final Map<String, Integer> ERRNOS = build();

    private static Map<String, Integer> build() {
      Map<String, Integer> byText = new HashMap<>();
      for (int errno = MAX; errno >= 1; errno--) { // the lowest wins, should two share a text
        byText.put(describe(errno), errno);
      }
      return Map.copyOf(byText);
    }
  }
}
