package dev.berth.cli;

import dev.berth.Mount;
import dev.berth.RunOptions;
import dev.berth.RunOptionsBuilder;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Docker's {@code -v} and {@code --tmpfs} values: {@code /host:/ctr[:ro]} (bind),
 * {@code name:/ctr[:ro]} (named volume), {@code /ctr[:ro]} (anonymous volume),
 * {@code /ctr[:size=64m,mode=1777,ro]} (tmpfs).
 */
final class MountSpec {
  /** Docker's default for a tmpfs root: world-writable and sticky, as /tmp. */
  private static final int TMPFS_MODE = 01777;

  private MountSpec() {}

  /**
   * Adds one {@code -v} value to {@code b}.
   *
   * @throws CliException (exit 125) naming the value and the accepted forms
   */
  static void volume(RunOptionsBuilder b, String spec) {
    String[] parts = spec.split(":", -1);
    boolean lastIsMode = parts.length > 1 && parts[parts.length - 1].matches("[a-z,]*");
    int pathParts = lastIsMode ? parts.length - 1 : parts.length;
    if (pathParts < 1 || pathParts > 2 || parts[0].isEmpty()) {
      throw invalid(spec, "expected at most three ':'-separated fields");
    }
    boolean readOnly = lastIsMode && readOnly(spec, parts[parts.length - 1]);
    try {
      if (pathParts == 2 && isHostPath(parts[0])) {
        b.bind(Path.of(parts[0]), parts[1], readOnly);
      } else {
        // a Mount, not volume(…): only it carries :ro; it checks the name and the target
        String name = pathParts == 1 ? null : parts[0];
        b.mount(new Mount(Mount.Type.VOLUME, name, parts[pathParts - 1], readOnly, 0, 0));
      }
    } catch (IllegalArgumentException e) {
      throw invalid(spec, e.getMessage());
    }
  }

  /**
   * Adds one {@code --tmpfs} value to {@code b}.
   *
   * @throws CliException (exit 125) naming the value and the accepted options
   */
  static void tmpfs(RunOptionsBuilder b, String spec) {
    int colon = spec.indexOf(':');
    String target = colon < 0 ? spec : spec.substring(0, colon);
    long size = 0;
    int mode = TMPFS_MODE;
    boolean readOnly = false;
    for (String option : colon < 0 ? new String[0] : spec.substring(colon + 1).split(",")) {
      if (option.startsWith("size=")) {
        size = Units.bytes("--tmpfs size", option.substring(5));
      } else if (option.startsWith("mode=")) {
        mode = octal(spec, option.substring(5));
      } else if (option.equals("ro") || option.equals("rw")) {
        readOnly = option.equals("ro");
      } else {
        throw new CliException(125, "invalid --tmpfs \"" + spec + "\": unsupported option '"
            + option + "'; use /path[:size=64m,mode=1777,ro]");
      }
    }
    try {
      b.mount(new Mount(Mount.Type.TMPFS, null, target, readOnly, size, mode));
    } catch (IllegalArgumentException e) {
      throw new CliException(125, "invalid --tmpfs \"" + spec + "\": " + e.getMessage());
    }
  }

  /** Docker takes {@code /abs} and, since 23.0, {@code ./rel} and {@code ../rel} as host paths. */
  private static boolean isHostPath(String source) {
    return source.startsWith("/") || source.equals(".") || source.startsWith("./")
        || source.equals("..") || source.startsWith("../");
  }

  private static boolean readOnly(String spec, String modes) {
    boolean readOnly = false;
    for (String m : modes.split(",")) {
      switch (m.toLowerCase(Locale.ROOT)) {
        case "ro" -> readOnly = true;
        case "rw" -> readOnly = false;
        default -> throw invalid(spec, "unsupported mode '" + m + "': use ro or rw");
      }
    }
    return readOnly;
  }

  private static int octal(String spec, String mode) {
    if (!mode.matches("[0-7]{1,5}")) {
      throw new CliException(125, "invalid --tmpfs \"" + spec + "\": mode '" + mode
          + "' is not an octal number such as 1777");
    }
    return Integer.parseInt(mode, 8);
  }

  private static CliException invalid(String spec, String why) {
    return new CliException(125, "invalid volume specification \"" + spec + "\": " + why
        + "; use /host/path:/ctr[:ro], name:/ctr[:ro] or /ctr");
  }
}
