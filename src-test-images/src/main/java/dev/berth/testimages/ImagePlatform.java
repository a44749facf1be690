package dev.berth.testimages;

import java.util.Locale;

/** {@code os/architecture[/variant]} as OCI writes it. */
record ImagePlatform(String os, String architecture, String variant) {

  /** Parses {@code linux/arm/v7}; {@code null} means the host's platform. */
  static ImagePlatform parse(String text) {
    if (text == null) {
      return host();
    }
    String[] parts = text.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || text.contains("//") || text.endsWith("/")) {
      throw new IllegalArgumentException("platform must be os/arch[/variant], not " + text);
    }
    return new ImagePlatform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  /** The platform of this JVM's host, in Go's architecture names. */
  static ImagePlatform host() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> new ImagePlatform("linux", "amd64", null);
      case "aarch64", "arm64" -> new ImagePlatform("linux", "arm64", null);
      default -> new ImagePlatform("linux", arch, null);
    };
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
