package dev.berth;

import java.util.Locale;

/**
 * An image platform: {@code linux/amd64}, {@code linux/arm/v7}.
 *
 * @param os operating system, e.g. {@code linux}
 * @param architecture GOARCH-style architecture, e.g. {@code amd64}, {@code arm64}
 * @param variant CPU variant, e.g. {@code v7}, or empty
 */
public record Platform(String os, String architecture, String variant) {

  /**
   * @param os the operating system, e.g. {@code linux}
   * @param architecture the architecture, e.g. {@code amd64} or {@code arm64}
   * @param variant the variant, e.g. {@code v8}, or null
   * @throws IllegalArgumentException when os or architecture is blank
   */
  public Platform {
    if (os == null || os.isBlank() || architecture == null || architecture.isBlank()) {
      throw new IllegalArgumentException(
          "invalid platform os='" + os + "' architecture='" + architecture
              + "': both are required, e.g. linux/amd64");
    }
    variant = variant == null ? "" : variant;
  }

  /**
   * Parses {@code os/arch[/variant]}.
   *
   * @param s e.g. {@code linux/arm64/v8}
   * @return the platform
   * @throws IllegalArgumentException naming the input when it has not two or three parts
   */
  public static Platform parse(String s) {
    String[] parts = s == null ? new String[0] : s.split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException(
          "invalid platform '" + s + "': expected os/architecture[/variant], e.g. linux/arm64");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
  }

  /** @return the platform of the running JVM, with Java's arch names mapped to Go's */
  public static Platform current() {
    return ofJvmArch(System.getProperty("os.arch", ""));
  }

  /** The platform a JVM whose {@code os.arch} is {@code osArch} pulls by default. */
  static Platform ofJvmArch(String osArch) {
    String arch = osArch.toLowerCase(Locale.ROOT);
    String goArch;
    String variant = "";
    switch (arch) {
      case "amd64", "x86_64" -> goArch = "amd64";
      case "aarch64", "arm64" -> {
        goArch = "arm64";
        variant = "v8";
      }
      case "arm" -> {
        goArch = "arm";
        variant = "v7";
      }
      case "x86", "i386", "i686" -> goArch = "386";
      default -> goArch = arch;
    }
    return new Platform("linux", goArch, variant);
  }

  @Override
  public String toString() {
    return variant.isEmpty() ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
  }
}
