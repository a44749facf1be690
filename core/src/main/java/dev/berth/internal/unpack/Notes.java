package dev.berth.internal.unpack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was skipped or not applied, grouped by kind so that a layer with 10,000 files whose owners
 * could not be set gives one line, not 10,000.
 */
final class Notes {
  private static final class Kind {
    final String firstPath;
    int count;

    Kind(String firstPath) {
      this.firstPath = firstPath;
    }
  }

  private final Map<String, Kind> kinds = new LinkedHashMap<>();

  synchronized void add(String what, String path) {
    kinds.computeIfAbsent(what, k -> new Kind(path)).count++;
  }

  synchronized List<String> lines() {
    List<String> lines = new ArrayList<>();
    kinds.forEach((what, kind) -> lines.add(what + ": " + kind.firstPath
        + (kind.count > 1 ? " (and " + (kind.count - 1) + " more)" : "")));
    return lines;
  }
}
