package dev.berth.internal.linux;

import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh JVM for JnaBootTest: prepares JNA with the cache dir args[0], starts it, prints what it mapped. */
public final class JnaBootMain {
  private JnaBootMain() {}

  public static void main(String[] args) throws Exception {
    JnaBoot.prepare(Path.of(args[0]));
    Syscalls.geteuid(); // starts JNA
    Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(l -> l.contains("jnidispatch"))
        .map(l -> l.substring(l.indexOf('/')))
        .distinct()
        .forEach(System.out::println);
  }
}
