package dev.berth.internal.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A user's subordinate ids, from /etc/subuid or /etc/subgid ({@code name:start:count} lines; the
 * name may also be the numeric uid, as shadow's newuidmap accepts). The first matching line is
 * taken, as podman does.
 */
public final class SubIds {
  /** One subordinate range. */
  public record Range(long start, long count) {}

  private SubIds() {}

  /** @return the first range of {@code user} (or {@code uid}) in {@code file}; empty when none or unreadable */
  public static Optional<Range> find(Path file, String user, long uid) {
    try {
      return find(Files.readAllLines(file), user, uid);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Parses the lines; malformed lines are skipped, as newuidmap skips them. */
  static Optional<Range> find(List<String> lines, String user, long uid) {
    for (String line : lines) {
      String[] f = line.trim().split(":");
      if (f.length != 3 || !(f[0].equals(user) || f[0].equals(Long.toString(uid)))) {
        continue;
      }
      try {
        long start = Long.parseLong(f[1]);
        long count = Long.parseLong(f[2]);
        if (start > 0 && count > 0) {
          return Optional.of(new Range(start, count));
        }
      } catch (NumberFormatException e) {
        // skipped, as the tools skip it
      }
    }
    return Optional.empty();
  }
}
