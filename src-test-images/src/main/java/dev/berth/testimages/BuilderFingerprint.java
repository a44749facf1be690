package dev.berth.testimages;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What builds the test images, as text for the cache key: the builder's own classes (so a change
 * to how an image is made rebuilds it, not only a change of recipe) and the versions of the tools
 * and libraries whose output lands in the images. A cache entry made by other code or other
 * tools is never reused.
 */
final class BuilderFingerprint {
  private static final String PACKAGE = "dev/berth/testimages/";
  /** Debian packages whose programs write image content: debootstrap, busybox, apt's chroot. */
  static final List<String> TOOLS = List.of("debootstrap", "busybox-static", "apt");

  private BuilderFingerprint() {}

  private static final class Once {
    static final String VALUE = compute();
  }

  /** Computed once per JVM. */
  static String get() {
    return Once.VALUE;
  }

  private static String compute() {
    StringBuilder text = new StringBuilder();
    text.append("code ").append(codeHash()).append('\n');
    text.append("commons-compress ").append(versionOf(org.apache.commons.compress.archivers.tar
        .TarArchiveOutputStream.class)).append('\n');
    text.append("zstd-jni ").append(versionOf(com.github.luben.zstd.ZstdOutputStream.class))
        .append('\n');
    text.append("tools ").append(toolVersions()).append('\n');
    return text.toString();
  }

  /** sha256 over the name and bytes of every class of this package, sorted by name. */
  static String codeHash() {
    TreeMap<String, byte[]> classes = new TreeMap<>();
    try {
      Path source = codeSource();
      if (Files.isDirectory(source)) {
        Path dir = source.resolve(PACKAGE);
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
            classes.put(f.getFileName().toString(), Files.readAllBytes(f));
          }
        }
      } else {
        try (JarFile jar = new JarFile(source.toFile())) {
          for (JarEntry e : Collections.list(jar.entries())) {
            String name = e.getName();
            if (name.startsWith(PACKAGE) && name.endsWith(".class")
                && name.indexOf('/', PACKAGE.length()) < 0) {
              try (InputStream in = jar.getInputStream(e)) {
                classes.put(name.substring(PACKAGE.length()), in.readAllBytes());
              }
            }
          }
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw new TestImageException("cannot read the test image builder's own classes to key"
          + " the image cache: " + e, e);
    }
    if (classes.isEmpty()) {
      throw new TestImageException("found none of the test image builder's classes to key the"
          + " image cache (looked in " + PACKAGE + ")");
    }
    MessageDigest sha = sha256();
    classes.forEach((name, bytes) -> {
      sha.update((name + " " + bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
      sha.update(bytes);
    });
    return HexFormat.of().formatHex(sha.digest());
  }

  private static Path codeSource() throws URISyntaxException {
    CodeSource source = BuilderFingerprint.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      throw new TestImageException("the test image builder's classes have no code source");
    }
    return Path.of(source.getLocation().toURI());
  }

  /** The jar's file name (it carries the version) or its manifest's version. */
  private static String versionOf(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    if (version != null) {
      return version;
    }
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null ? "unknown" : String.valueOf(source.getLocation()).replaceAll(".*/", "");
  }

  /** {@code dpkg-query}'s versions of {@link #TOOLS}; "none" for a host without dpkg. */
  static String toolVersions() {
    List<String> argv = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package}=${Version};"));
    argv.addAll(TOOLS);
    try {
      return Command.run(argv).strip();
    } catch (TestImageException e) {
      // a tool that is not installed is named by dpkg-query's error; the build would fail anyway
      return "unavailable: " + e.getMessage();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
