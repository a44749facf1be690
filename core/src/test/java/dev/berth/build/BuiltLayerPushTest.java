package dev.berth.build;

import static dev.berth.testsupport.Commands.assumeInstalled;
import static dev.berth.testsupport.Commands.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.Berth;
import dev.berth.Digest;
import dev.berth.DigestMismatchException;
import dev.berth.Image;
import dev.berth.ImageBuilder;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Built layers are stored as plain tars (a commit does not compress) and gzipped when they are
 * pushed, once: the registry, skopeo and a second store see an ordinary gzip image with the same
 * id; the compressed form lives and goes with the plain blob.
 */
class BuiltLayerPushTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLAIN = "application/vnd.oci.image.layer.v1.tar";
  private static final String GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

  @TempDir Path tmp;
  private TestRegistry reg;
  private Path home;

  @BeforeEach
  void setUp() throws Exception {
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
    reg = Registries.plainWith("busybox");
    home = tmp.resolve("home");
    byte[] data = new byte[3 << 20]; // compressible, not trivially: half random, half zeros
    new Random(7).nextBytes(data);
    java.util.Arrays.fill(data, data.length / 2, data.length, (byte) 0);
    Files.write(Files.createDirectories(tmp.resolve("src")).resolve("data.bin"), data);
    Files.writeString(tmp.resolve("src/hello.txt"), "hello\n");
  }

  private Image build(Berth berth) {
    return ImageBuilder.scratch().copy(tmp.resolve("src"), "/app/").cmd("/app/hello.txt")
        .build(berth, "built/app:1");
  }

  private String target(String name) {
    return reg.host() + "/built/" + name + "-" + System.nanoTime() + ":1";
  }

  @Test
  void builtLayer_isStoredPlain_pushedGzipped_andPulledBackAsTheSameImage() throws Exception {
    assumeInstalled("skopeo");
    String target = target("plain");
    Image built;
    Digest pushed;
    try (Berth berth = Registries.engine(home, reg)) {
      built = build(berth);
      JsonNode stored = blobJson(built.manifestDigest());
      String diffId = diffIds(built.id()).get(0);
      assertThat(stored.at("/layers/0/mediaType").asText()).isEqualTo(PLAIN);
      assertThat(stored.at("/layers/0/digest").asText()).isEqualTo(diffId);

      pushed = built.push(target);
      assertThat(pushed).isNotEqualTo(built.manifestDigest());
      assertThat(built.push(target("again"))).as("the second push sends the same bytes")
          .isEqualTo(pushed);
    }

    List<String> copy = new ArrayList<>(List.of("skopeo", "copy"));
    copy.addAll(reg.skopeoSrcArgs());
    copy.addAll(List.of("docker://" + target, "oci:" + tmp.resolve("copy") + ":t"));
    ok(copy.toArray(String[]::new)); // skopeo checks every digest and size
    Path blobs = tmp.resolve("copy/blobs/sha256");
    JsonNode index = JSON.readTree(tmp.resolve("copy/index.json").toFile());
    assertThat(index.at("/manifests/0/digest").asText()).isEqualTo(pushed.toString());
    JsonNode manifest = JSON.readTree(blobs.resolve(pushed.hex()).toFile());
    assertThat(manifest.at("/layers/0/mediaType").asText()).isEqualTo(GZIP);
    String gz = manifest.at("/layers/0/digest").asText().substring(7);
    String unzipped = ok("sh", "-c", "gzip -dc " + blobs.resolve(gz) + " | sha256sum");
    assertThat("sha256:" + unzipped.strip().split(" ")[0])
        .isEqualTo(diffIds(built.id()).get(0));

    try (Berth other = Registries.engine(tmp.resolve("other"), reg)) {
      Image back = other.pull(target);
      assertThat(back.id()).isEqualTo(built.id());
      assertThat(back.manifestDigest()).isEqualTo(pushed);
      Path out = tmp.resolve("unpacked");
      back.unpackTo(out);
      assertThat(out.resolve("app/hello.txt")).hasContent("hello");
      assertThat(Files.mismatch(out.resolve("app/data.bin"), tmp.resolve("src/data.bin")))
          .isEqualTo(-1L);
    }
  }

  @Test
  void secondPush_reusesTheCompressedForm_withoutCompressingAgain() throws Exception {
    try (Berth berth = Registries.engine(home, reg)) {
      Image built = pushedBuild(berth, "first");
      Path note = onlyNote();
      Digest gz = notedDigest(note);
      Path gzBlob = blob(gz);
      Object key = Files.readAttributes(gzBlob, BasicFileAttributes.class).fileKey();
      long written = Files.getLastModifiedTime(gzBlob).toMillis();
      Thread.sleep(20);

      built.push(target("second"));

      assertThat(Files.readAttributes(gzBlob, BasicFileAttributes.class).fileKey())
          .isEqualTo(key);
      assertThat(Files.getLastModifiedTime(gzBlob).toMillis()).isEqualTo(written);
      assertThat(notedDigest(note)).isEqualTo(gz);
    }
  }

  @Test
  void unreadableNote_isMadeAgain() throws Exception {
    try (Berth berth = Registries.engine(home, reg)) {
      Image built = build(berth);
      Digest first = built.push(target("first"));
      Path note = onlyNote();
      String gz = Files.readString(note).strip();
      Files.writeString(note, "not a digest\n");

      assertThat(built.push(target("second"))).isEqualTo(first);
      assertThat(Files.readString(note).strip()).isEqualTo(gz);
    }
  }

  @Test
  void damagedPlainLayer_failsNamingIt_andStoresNothing() throws Exception {
    assertPushOfDamagedLayerFails(f -> {
      f.seek(1024);
      int b = f.read();
      f.seek(1024);
      f.write(b ^ 0xff);
    }, (push, diffId) -> push.isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("stored layer " + diffId));
  }

  @Test
  void truncatedPlainLayer_failsNamingIt_andStoresNothing() throws Exception {
    assertPushOfDamagedLayerFails(f -> f.setLength(f.length() / 2),
        (push, diffId) -> push.hasMessageContaining("stored layer " + diffId + " is shorter than"));
  }

  private interface Damage {
    void apply(RandomAccessFile plainBlob) throws Exception;
  }

  /** Damages the built layer's plain blob; the push fails as {@code expected} says, storing nothing. */
  private void assertPushOfDamagedLayerFails(Damage damage,
      java.util.function.BiConsumer<AbstractThrowableAssert<?, ?>, String> expected)
      throws Exception {
    try (Berth berth = Registries.engine(home, reg)) {
      Image built = build(berth);
      String diffId = diffIds(built.id()).get(0);
      try (RandomAccessFile f = new RandomAccessFile(blob(Digest.parse(diffId)).toFile(), "rw")) {
        damage.apply(f);
      }
      List<Path> before = blobFiles();

      AbstractThrowableAssert<?, ?> push = assertThatThrownBy(() -> built.push(target("damaged")));
      expected.accept(push, diffId);
      push.hasMessageContaining("damaged");

      assertThat(blobFiles()).isEqualTo(before);
      assertThat(home.resolve("blobs/compressed")).doesNotExist();
    }
  }

  @Test
  void missingPlainLayer_failsNamingIt() throws Exception {
    try (Berth berth = Registries.engine(home, reg)) {
      Image built = build(berth);
      String diffId = diffIds(built.id()).get(0);
      Files.delete(blob(Digest.parse(diffId)));

      assertThatThrownBy(() -> built.push(target("missing")))
          .hasMessageContaining("layer " + diffId + " is missing from the store")
          .hasMessageContaining("build, pull or load it again");
    }
  }

  @Test
  void collection_keepsTheCompressedFormWithItsImage_andRemovesBothWithIt() throws Exception {
    try (Berth berth = Registries.engine(home, reg)) {
      Image built = pushedBuild(berth, "gc");
      Path note = onlyNote();
      Path gzBlob = blob(notedDigest(note));
      Path plain = blob(Digest.parse(diffIds(built.id()).get(0)));

      berth.pruneImages();
      assertThat(gzBlob).exists();
      assertThat(note).exists();

      berth.removeImage("built/app:1", false);
      assertThat(plain).doesNotExist();
      assertThat(gzBlob).doesNotExist();
      assertThat(note).doesNotExist();
    }
  }

  private Image pushedBuild(Berth berth, String name) {
    Image built = build(berth);
    built.push(target(name));
    return built;
  }

  private static Digest notedDigest(Path note) throws Exception {
    return Digest.parse(Files.readString(note).strip());
  }

  private Path blob(Digest d) {
    return home.resolve("blobs/sha256").resolve(d.hex());
  }

  private JsonNode blobJson(Digest d) throws Exception {
    return JSON.readTree(blob(d).toFile());
  }

  private List<String> diffIds(Digest imageId) throws Exception {
    List<String> out = new ArrayList<>();
    blobJson(imageId).at("/rootfs/diff_ids").forEach(n -> out.add(n.asText()));
    return out;
  }

  private Path onlyNote() throws Exception {
    try (Stream<Path> notes = Files.list(home.resolve("blobs/compressed"))) {
      List<Path> all = notes.toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }

  private List<Path> blobFiles() throws Exception {
    try (Stream<Path> files = Files.list(home.resolve("blobs/sha256"))) {
      return files.sorted().toList();
    }
  }
}
