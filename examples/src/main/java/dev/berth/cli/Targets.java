package dev.berth.cli;

import dev.berth.BerthException;
import java.util.List;
import java.util.function.Consumer;

/** Docker's verbs on several containers: each is tried, errors are printed, exit 1 if any failed. */
final class Targets {
  private Targets() {}

  /** Applies {@code action} to each name and echoes the name on success, as Docker. */
  static int each(List<String> names, Consumer<String> action) {
    int code = 0;
    for (String name : names) {
      try {
        action.accept(name);
        System.out.println(name);
      } catch (BerthException | IllegalArgumentException e) {
        System.err.println("Error: " + e.getMessage());
        code = 1;
      }
    }
    return code;
  }
}
