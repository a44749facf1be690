package dev.berth.internal.linux;

/**
 * Capabilities of the calling thread. Linux keeps capability sets per thread, so dropping one here
 * affects only the thread that calls it: tests use that to meet "not permitted" for real (no
 * CAP_MKNOD, no CAP_CHOWN) on a thread of their own while running as root.
 */
public final class Capabilities {
  public static final int CAP_CHOWN = 0;
  public static final int CAP_FOWNER = 3;
  public static final int CAP_MKNOD = 27;
  public static final int CAP_SYS_ADMIN = 21;

  private static final int VERSION_3 = 0x20080522;

  private Capabilities() {}

  /** Removes {@code caps} from this thread's effective and permitted sets, for good. */
  public static void dropFromThisThread(int... caps) {
    int[] header = {VERSION_3, 0};
    int[] data = new int[6]; // two {effective, permitted, inheritable} words
    try {
      LibC.capget(header, data);
      for (int cap : caps) {
        int word = cap / 32 * 3;
        int bit = 1 << (cap % 32);
        data[word] &= ~bit;
        data[word + 1] &= ~bit;
      }
      LibC.capset(header, data);
    } catch (com.sun.jna.LastErrorException e) {
      throw new LinuxException(e.getErrorCode(), "capset", "thread capabilities");
    }
  }

  /** @return whether this thread has {@code cap} in its effective set */
  public static boolean has(int cap) {
    int[] header = {VERSION_3, 0};
    int[] data = new int[6];
    try {
      LibC.capget(header, data);
    } catch (com.sun.jna.LastErrorException e) {
      throw new LinuxException(e.getErrorCode(), "capget", "thread capabilities");
    }
    return (data[cap / 32 * 3] & (1 << (cap % 32))) != 0;
  }
}
