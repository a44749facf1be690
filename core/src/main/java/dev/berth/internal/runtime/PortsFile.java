package dev.berth.internal.runtime;

import dev.berth.BerthException;
import dev.berth.PortMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the ports file the helper's port proxy writes: "tcp 127.0.0.1 32768 80" a line (CONFIG.md). */
public final class PortsFile {
  private PortsFile() {}

  /** @return the published ports, or none when the helper wrote no ports file (none published) */
  public static List<PortMapping> readIfPresent(Path file) {
    return java.nio.file.Files.exists(file) ? read(file) : List.of();
  }

  public static List<PortMapping> read(Path file) {
    try {
      return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> parse(file, l)).toList();
    } catch (IOException e) {
      throw new BerthException("The helper reported a start but wrote no ports file " + file + ": " + e.getMessage(), e);
    }
  }

  static PortMapping parse(Path file, String line) {
    String[] w = line.split(" ");
    try {
      if (w.length == 4) return new PortMapping(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3]), w[0]);
    } catch (IllegalArgumentException e) {
      // reported below with the line
    }
    throw new BerthException("Line \"" + line + "\" of " + file + " is not \"PROTO HOST-IP HOST-PORT CONTAINER-PORT\"; "
        + "the helper and the library disagree: report this as a Berth bug");
  }
}
