package dev.berth.testsupport;

import dev.berth.Berth;
import dev.berth.BuildOptions;
import dev.berth.ImageBuilder;
import dev.berth.SaveFormat;
import dev.berth.internal.store.FileTrees;
import dev.berth.testimages.TestImages;
import dev.berth.testing.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Test images that Berth builds with its own {@link ImageBuilder} from
 * {@code src-test-images/containerfiles/<name>}, FROM recipe images of the test registry (the
 * {@code node} Containerfile builds FROM {@code debian-base}).
 *
 * <pre>{@code
 * Path layout = BuiltImages.layout("node");                 // OCI layout, tagged latest
 * TestRegistry reg = BuiltImages.pushed("node", registry);   // as library/node-built:latest
 * }</pre>
 *
 * <p>A build is cached twice: the finished OCI layout under
 * {@code <test image cache>/built/<name>-<hash>/}, keyed by a hash of the Containerfile, its
 * context and the base images, so an unchanged image costs a hash; and Berth's own build cache in
 * the persistent engine home {@code <test image cache>/built/berth-home}, so a changed app file
 * reruns only the steps after it. Builders in several JVMs queue on a file lock.
 */
public final class BuiltImages {
  /** Bump when Berth's builder writes different bytes for the same inputs. */
  private static final String VERSION = "2";
  /** The recipe images each Containerfile builds FROM, pushed as library/<base>:latest. */
  private static final Map<String, List<String>> BASES = Map.of("node", List.of("debian-base"));
  private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

  private BuiltImages() {}

  /** The directory holding the built layouts and the builder's engine home. */
  public static Path cacheDir() {
    return TestImages.cacheRoot().resolve("built");
  }

  /**
   * The OCI layout of the built image {@code name}, tagged {@code latest}; built on first use
   * (the node image downloads Debian packages, so the first build needs the Debian mirror).
   */
  public static Path layout(String name) {
    return BUILT.computeIfAbsent(name, BuiltImages::layoutLocked);
  }

  /** Pushes {@code name} to {@code registry} as {@code library/<name>-built:latest}. */
  public static TestRegistry pushed(String name, TestRegistry registry) {
    List<String> argv = new ArrayList<>(List.of("skopeo", "copy", "--quiet",
        "--preserve-digests"));
    argv.addAll(registry.skopeoDestArgs());
    argv.add("oci:" + layout(name) + ":latest");
    argv.add("docker://" + registry.host() + "/library/" + name + "-built:latest");
    try {
      Commands.ok(argv.toArray(String[]::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted pushing " + name, e);
    }
    return registry;
  }

  private static Path layoutLocked(String name) {
    Path context = TestImages.containerfileContext(name);
    String key = name + "-" + hash(name, context).substring(0, 32);
    Path target = cacheDir().resolve(key);
    try {
      Files.createDirectories(cacheDir());
      try (FileChannel ch = FileChannel.open(cacheDir().resolve(name + ".lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        if (!Files.isRegularFile(target.resolve("index.json"))) {
          build(name, context, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build test image " + name + " into " + target, e);
    }
    return target;
  }

  private static void build(String name, Path context, Path target) throws IOException {
    TestRegistry registry = Registries.plainWith(BASES.getOrDefault(name, List.of())
        .toArray(String[]::new));
    Path home = cacheDir().resolve("berth-home");
    String tag = "built/" + name + ":latest";
    Path tmp = cacheDir().resolve(".tmp-" + target.getFileName() + "-" + UUID.randomUUID());
    try (Berth berth = Registries.engine(home, registry)) {
      ImageBuilder.build(berth, BuildOptions.builder(context).tag(tag).build())
          .save(tmp, SaveFormat.OCI_LAYOUT);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      FileTrees.deleteRecursively(tmp);
    }
  }

  /** sha256 of the version, the context's files (paths, modes, contents) and the bases' ids. */
  private static String hash(String name, Path context) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(("berth-built-images " + VERSION + " " + name + "\n")
          .getBytes(StandardCharsets.UTF_8));
      for (String base : BASES.getOrDefault(name, List.of())) {
        sha.update(("base " + base + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(TestImages.layout(base).resolve("index.json")));
      }
      try (Stream<Path> files = Files.walk(context)) {
        for (Path f : files.sorted().toList()) {
          String line = "file " + context.relativize(f) + " " + Files.getAttribute(f,
              "unix:mode", LinkOption.NOFOLLOW_LINKS) + "\n";
          sha.update(line.getBytes(StandardCharsets.UTF_8));
          if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            sha.update(Files.readAllBytes(f));
          }
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash the context of " + name, e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
