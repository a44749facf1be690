package dev.berth;

import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.store.StoreLayout;
import dev.berth.testimages.TestImages;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Commands;
import dev.berth.testsupport.Registries;
import dev.berth.testsupport.TreeDiff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulled images give the same root file system as {@code umoci unpack} makes of the original OCI
 * layout: flattened by {@link Image#unpackTo}, and as the merged view of a real overlay mount of
 * the stored layer dirs (which proves the overlay-format whiteouts and opaque dirs).
 *
 * <p>The Docker variants are compared with umoci's view of their OCI originals, and busybox-zstd
 * (busybox's layer recompressed) with busybox's: umoci 0.4 cannot read zstd layers.
 */
class ImageRootfsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @BeforeEach
  void needsRootAndUmoci() {
    Commands.assumeInstalled("umoci");
    assumeThat(Linux.isRoot()).as("umoci keeps owners and devices only as root").isTrue();
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
  }

  @ParameterizedTest(name = "{0} (umoci of {1})")
  @CsvSource({"busybox, busybox", "node, node", "multiarch, multiarch",
      "busybox-zstd, busybox", "busybox-docker, busybox", "multiarch-docker, multiarch"})
  void unpackTo_pulledImage_matchesUmociUnpack(String image, String original) throws Exception {
    Path umoci = umociRootfs(original);
    try (Berth berth = pulled(image)) {
      Path dir = tmp.resolve("flat");
      berth.image(registry(image).host() + "/" + image).unpackTo(dir);
      TreeDiff.between(umoci, dir).ignoringRoot().assertSame();
    }
  }

  @ParameterizedTest(name = "{0} (umoci of {1})")
  @CsvSource({"busybox, busybox", "node, node", "multiarch, multiarch",
      "busybox-zstd, busybox", "busybox-docker, busybox", "multiarch-docker, multiarch"})
  void overlayOfStoredLayers_pulledImage_matchesUmociUnpack(String image, String original)
      throws Exception {
    assumeThat(Linux.hasOverlay()).as("the kernel lacks overlayfs").isTrue();
    Path umoci = umociRootfs(original);
    try (Berth berth = pulled(image)) {
      Image pulled = berth.image(registry(image).host() + "/" + image);
      List<String> lowers = new ArrayList<>();
      StoreLayout layout = new StoreLayout(berth.home());
      for (String chainId : pulled.record().chainIds()) {
        lowers.add(0, layout.layerDiff(Digest.parse(chainId)).toString()); // top first
      }
      Path merged = Files.createDirectory(tmp.resolve("merged"));
      Path upper = Files.createDirectory(tmp.resolve("upper"));
      Path work = Files.createDirectory(tmp.resolve("work"));
      Syscalls.mount("overlay", merged.toString(), "overlay", 0, "lowerdir="
          + String.join(":", lowers) + ",upperdir=" + upper + ",workdir=" + work);
      try {
        TreeDiff.between(umoci, merged).ignoringRoot().assertSame();
      } finally {
        Syscalls.umount2(merged.toString(), Fcntl.MNT_DETACH);
      }
    }
  }

  private static TestRegistry registry(String image) {
    return Registries.plainWith(image);
  }

  private Berth pulled(String image) {
    TestRegistry reg = registry(image);
    Berth berth = Registries.engine(tmp.resolve("home"), reg);
    berth.pull(reg.host() + "/" + image);
    return berth;
  }

  /** umoci's rootfs of the image (the linux/amd64 one of an index) in the OCI layout. */
  private Path umociRootfs(String name) throws IOException, InterruptedException {
    Path layout = TestImages.layout(name);
    Path view = Files.createDirectory(tmp.resolve("layout"));
    // a layout of our own, sharing the blobs, whose index tags the chosen manifest
    Files.copy(layout.resolve("oci-layout"), view.resolve("oci-layout"));
    Files.createSymbolicLink(view.resolve("blobs"), layout.resolve("blobs"));
    JsonNode manifest = amd64Manifest(layout, JSON.readTree(layout.resolve("index.json").toFile()));
    Files.writeString(view.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{"
        + "\"mediaType\":\"" + manifest.get("mediaType").asText() + "\",\"digest\":\""
        + manifest.get("digest").asText() + "\",\"size\":" + manifest.get("size").asLong()
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}]}");
    Path bundle = tmp.resolve("bundle");
    Commands.ok("umoci", "unpack", "--image", view + ":t", bundle.toString());
    return bundle.resolve("rootfs");
  }

  /** Follows indexes down to the image manifest for linux/amd64. */
  private static JsonNode amd64Manifest(Path layout, JsonNode index) throws IOException {
    for (JsonNode m : index.get("manifests")) {
      JsonNode platform = m.get("platform");
      if (platform != null && !"amd64".equals(platform.path("architecture").asText())) {
        continue;
      }
      if (m.get("mediaType").asText().contains("index")) {
        String hex = m.get("digest").asText().substring("sha256:".length());
        return amd64Manifest(layout, JSON.readTree(layout.resolve("blobs/sha256/" + hex).toFile()));
      }
      return m;
    }
    throw new AssertionError("no linux/amd64 manifest in " + layout);
  }
}
