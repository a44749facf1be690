package dev.berth.internal.linux;

import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh JVM for JnaBootTest: prepares JNA with the cache dir args[0], starts it (LibC names the platform path), prints that path and what it mapped. */
public final class JnaBootMain {
  private JnaBootMain() {}

  public static void main(String[] args) throws Exception {
    JnaBoot.prepare(Path.of(args[0]));
    Syscalls.geteuid(); // starts JNA
    System.out.println("platform=" + System.getProperty(JnaBoot.PLATFORM_PROPERTY));
    Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(l -> l.contains("jnidispatch"))
        .map(l -> l.substring(l.indexOf('/')))
        .distinct()
        .forEach(System.out::println);
  }
}
