package dev.berth.testimages;

import java.nio.file.Path;
import java.util.List;

/**
 * The images Berth's tests pull, built from the recipes in {@code src-test-images/recipes} into OCI
 * image layouts and pushed to a test registry with skopeo.
 *
 * <pre>{@code
 * Path layout = TestImages.layout("busybox");            // oci-layout, index.json, blobs/; tag latest
 * TestImages.push("node", "127.0.0.1:5000/library/node:latest", List.of("--dest-tls-verify=false"));
 * }</pre>
 *
 * <p>Layouts are cached in {@code $BERTH_TEST_IMAGE_CACHE} (default
 * {@code /var/cache/berth-test-images} as root, else {@code ~/.cache/berth-test-images}) under a
 * key hashed from the recipe, so a second call takes milliseconds and a changed recipe rebuilds.
 * Concurrent callers, in one JVM or many, build an image once. The {@code node} image needs root
 * (debootstrap, overlayfs, chroot) and a few minutes the first time.
 */
public final class TestImages {
  private TestImages() {}

  /** Created on first use, so that merely loading the class touches no file system. */
  private static final class Default {
    static final ImageCache CACHE = new ImageCache(ImageCache.defaultRoot(), RecipeBook.bundled());
  }

  /**
   * The names of all recipes, sorted: {@code busybox}, {@code node}, {@code multiarch}, ...
   *
   * @throws TestImageException if the recipes cannot be read
   */
  public static List<String> names() {
    return Default.CACHE.recipes().names();
  }

  /**
   * The cache directory the layouts live in: {@code $BERTH_TEST_IMAGE_CACHE}, else
   * {@code /var/cache/berth-test-images} as root, else {@code ~/.cache/berth-test-images}. Other
   * caches of test images (such as images built by Berth itself) live beside them.
   */
  public static Path cacheRoot() {
    return ImageCache.defaultRoot();
  }

  /**
   * The directory of {@code containerfiles/<name>} (a Containerfile and its build context), as
   * shipped with this library.
   *
   * @throws TestImageException when there is none (inside a jar, the tree is extracted once per
   *     JVM with the modes the jar recorded)
   */
  public static Path containerfileContext(String name) {
    if (TestImages.class.getResource("/containerfiles/" + name + "/Containerfile") == null) {
      throw new TestImageException("no Containerfile for test image '" + name + "': expected"
          + " src-test-images/containerfiles/" + name + "/Containerfile");
    }
    return BundledTree.of("containerfiles", name + "/Containerfile").resolve(name);
  }

  /**
   * The OCI image layout of image {@code name}, with the image (or index) tagged {@code latest}.
   * Builds it on first use; later calls return the cached directory. Do not modify it.
   *
   * @throws TestImageException if there is no such recipe, or the build fails (the message says
   *     why; e.g. not root for {@code node}, or a missing Debian package)
   */
  public static Path layout(String name) {
    return Default.CACHE.layout(name);
  }

  /**
   * The cache key of image {@code name}'s current build: {@code <name>-<hash>} of its recipe files,
   * the builder's code and the tools (see {@code recipes/README.md}). Reads the recipe only; builds
   * nothing. Callers that keep pulled copies of test images key them by it.
   *
   * @throws TestImageException if there is no such recipe
   */
  public static String cacheKey(String name) {
    return Default.CACHE.key(name);
  }

  /**
   * What is wrong with the authored files (a recipe's {@code files}, {@code text} and
   * {@code dirs}) in image {@code name} as built: each must carry the mode its author gave it and
   * the owner the recipe says. Empty when the image is right. Builds the image first if needed.
   *
   * @throws TestImageException if the image cannot be built or read
   */
  public static List<String> authoredFileProblems(String name) {
    return AuthoredFiles.problems(Default.CACHE, name);
  }

  /**
   * Copies image {@code name} to {@code docker://<destination>} with {@code skopeo copy}, choosing
   * the flags the image needs ({@code --all} for indexes, {@code --format v2s2} for the Docker
   * variants, digests preserved otherwise).
   *
   * @param destination {@code host:port/repository:tag}, e.g. {@code 127.0.0.1:5000/library/node:latest}
   * @param extraSkopeoArgs passed before the image names, e.g. {@code --dest-tls-verify=false},
   *     {@code --dest-creds=user:pass}, {@code --dest-cert-dir=/path}
   * @throws TestImageException if the destination is malformed, the image cannot be built, or
   *     skopeo fails ({@link TestImageException#toolOutput()} holds its stderr)
   */
  public static void push(String name, String destination, List<String> extraSkopeoArgs) {
    push(Default.CACHE, name, destination, extraSkopeoArgs);
  }

  static void push(ImageCache cache, String name, String destination, List<String> extraArgs) {
    Skopeo.checkDestination(destination);
    Path layout = cache.layout(name);
    Recipe recipe = cache.recipes().recipe(name);
    Command.run(Skopeo.copyCommand(recipe, layout, destination, List.copyOf(extraArgs)));
  }
}
