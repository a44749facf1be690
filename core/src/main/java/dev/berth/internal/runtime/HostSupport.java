package dev.berth.internal.runtime;

import dev.berth.UnsupportedEnvironmentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides, before any JNA class loads or any helper is extracted, whether this host can run
 * Berth at all: a Linux kernel, a CPU the jar has a helper for, and /proc mounted. Every public
 * way into an engine calls {@link #check()} first, so on macOS, Windows or an unknown CPU the
 * first call fails with the reason and the fix rather than deep in native code.
 */
public final class HostSupport {
  private static volatile boolean supported;

  private HostSupport() {}

  /**
   * @throws UnsupportedEnvironmentException when this host cannot run Berth, saying what is
   *     missing and what to do
   */
  public static void check() {
    if (supported) return;
    Optional<String> problem = problem(System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
        Path.of("/proc/self/mountinfo"), HelperBinary::hasHelperFor);
    if (problem.isPresent()) throw new UnsupportedEnvironmentException(problem.get());
    supported = true;
  }

  /**
   * @param osName the JVM's {@code os.name}
   * @param osArch the JVM's {@code os.arch}
   * @param procProbe a file that exists when /proc is mounted
   * @param hasHelper whether the jar holds a helper for an {@code os.arch}
   * @return what this host lacks, with what to do, or empty when Berth can run here
   */
  static Optional<String> problem(String osName, String osArch, Path procProbe, Predicate<String> hasHelper) {
    String host = osName + " (" + osArch + ")";
    String os = osName.toLowerCase(Locale.ROOT);
    if (!os.equals("linux")) {
      String where = os.startsWith("windows") ? "in WSL 2 or a Linux VM"
          : os.startsWith("mac") ? "in a Linux VM (Lima, Colima, UTM, a cloud machine)"
          : "in a Linux VM";
      return Optional.of("Berth runs containers with the Linux kernel (namespaces, cgroups, overlay), and this"
          + " host is " + host + ". Run this program on Linux: " + where + ", or in a Linux container"
          + " started with --privileged, with a JDK 17 or newer there.");
    }
    if (!hasHelper.test(osArch)) {
      return Optional.of("Berth has no native helper for the CPU " + osArch + " (this host is " + host
          + "); it ships helpers for x86_64 (amd64) and aarch64 (arm64). Run on one of those, or build"
          + " Berth from source on this machine (its helper needs gcc and core/src/main/c/build.sh).");
    }
    if (!Files.exists(procProbe)) {
      return Optional.of("Berth reads /proc, and this Linux has no " + procProbe
          + " (/proc is not mounted). Mount it (mount -t proc proc /proc), or, in a container, start"
          + " it with /proc mounted, as every container runtime does by default.");
    }
    return Optional.empty();
  }
}
