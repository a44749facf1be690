package dev.berth.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link StoreDiskFullTest} in a JVM whose messages are German: writes to /dev/full (ENOSPC)
 * and prints the JDK's message and what {@link Store#failure} makes of it, one {@code key=value} a
 * line.
 */
public final class DiskFullInLocaleMain {
  private DiskFullInLocaleMain() {}

  public static void main(String[] args) {
    try {
      Files.write(Path.of("/dev/full"), new byte[64]);
      System.out.println("written=true");
    } catch (IOException e) {
      System.out.println("jdk=" + e.getMessage());
      System.out.println("failure=" + Store.failure("cannot store blob x", Path.of(args[0]), e).getMessage());
    }
  }
}
