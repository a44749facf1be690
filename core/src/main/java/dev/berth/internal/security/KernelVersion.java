package dev.berth.internal.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kernel release's major.minor, for a profile rule's includes.minKernel. */
record KernelVersion(int major, int minor) {
  private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

  static KernelVersion parse(String release) {
    Matcher m = VERSION.matcher(release.strip());
    if (!m.find()) throw new IllegalArgumentException("minKernel \"" + release + "\" is not like 4.8");
    return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** The running kernel's: read once, it does not change while the JVM runs. */
  static KernelVersion running() {
    return Running.VERSION;
  }

  private static final class Running {
    static final KernelVersion VERSION = read();

    private static KernelVersion read() {
      try {
        return parse(Files.readString(Path.of("/proc/sys/kernel/osrelease")));
      } catch (IOException | IllegalArgumentException e) {
        return parse(System.getProperty("os.version"));
      }
    }
  }

  boolean atLeast(KernelVersion other) {
    return major != other.major ? major > other.major : minor >= other.minor;
  }
}
