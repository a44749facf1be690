package dev.berth.internal.cgroup;

import dev.berth.BerthException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Reading and writing the small text files of cgroupfs, with errors that name the file. */
final class CgroupFiles {

  /** Values at or above this mean "no limit" (v1 reports 2^63-1 rounded down to a page). */
  private static final long UNLIMITED = 1L << 62;

  private CgroupFiles() {}

  /** @return the file's content without the trailing newline */
  static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new BerthException("reading " + file + " failed: " + reason(e), e);
    }
  }

  /** @return the file's lines; empty when the file does not exist (the cgroup was removed) */
  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new BerthException("reading " + file + " failed: " + reason(e), e);
    }
  }

  /**
   * Writes a value with one write(2), without creating the file: on cgroupfs a missing file means
   * a missing controller, which must not turn into a plain file on a fake tree either.
   */
  static void write(Path file, String value) {
    try {
      Files.writeString(file, value, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new BerthException(
          "writing '" + value + "' to " + file + " failed: " + reason(e), e);
    }
  }

  /** @return a single-number file's value; empty for "max" or an effectively unlimited value */
  static OptionalLong readLimit(Path file) {
    String value = read(file);
    if (value.equals("max")) {
      return OptionalLong.empty();
    }
    long n = parse(file, value);
    return n >= UNLIMITED ? OptionalLong.empty() : OptionalLong.of(n);
  }

  static long readLong(Path file) {
    return parse(file, read(file));
  }

  /** @return the number after {@code key} in a file of "key value" lines; 0 when absent */
  static long readKey(Path file, String key) {
    for (String line : lines(file)) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length == 2 && parts[0].equals(key)) {
        return parse(file, parts[1]);
      }
    }
    return 0;
  }

  /** @return the process ids in a cgroup dir's cgroup.procs; empty when the dir is gone */
  static List<Long> pids(Path dir) {
    Path procs = dir.resolve("cgroup.procs");
    List<Long> pids = new ArrayList<>();
    for (String line : lines(procs)) {
      if (!line.isBlank()) {
        pids.add(parse(procs, line.strip()));
      }
    }
    return pids;
  }

  static String reason(IOException e) {
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
  }

  private static long parse(Path file, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new BerthException(
          "unexpected content '" + value + "' in " + file + ": expected a number", e);
    }
  }
}
