package dev.berth.internal.util;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Random bytes from the kernel's {@code /dev/urandom}: container and network ids, session and
 * temp file names. {@link java.security.SecureRandom} reads the same device, but its first use
 * starts the JDK's security providers, ~25 ms of a cold JVM that the first container paid twice
 * (the store's session name and the first temp file's, through {@code Files.createTempFile}).
 */
public final class Urandom {
  private static final String DEVICE = "/dev/urandom";

  private Urandom() {}

  private static final class Device {
    static final InputStream IN = open();

    private static InputStream open() {
      try {
        return new FileInputStream(DEVICE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open " + DEVICE + ", which Linux always has: " + e, e);
      }
    }
  }

  /** Fills {@code bytes}. */
  public static void nextBytes(byte[] bytes) {
    try {
      synchronized (Device.IN) {
        if (Device.IN.readNBytes(bytes, 0, bytes.length) != bytes.length) {
          throw new IOException("it ended");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEVICE + ": " + e.getMessage(), e);
    }
  }

  /** @return a random long */
  public static long nextLong() {
    byte[] b = new byte[Long.BYTES];
    nextBytes(b);
    return ByteBuffer.wrap(b).getLong();
  }

  /** @return a random int in [0, bound), every value as likely */
  public static int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound " + bound + " must be positive");
    }
    // rejection: the top partial run of 2^31 values would favour the low ones
    int limit = Integer.MAX_VALUE - Integer.MAX_VALUE % bound;
    while (true) {
      int v = (int) (nextLong() >>> 33);
      if (v < limit) {
        return v % bound;
      }
    }
  }
}
