package dev.berth.internal.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.internal.manifest.Compression;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.testimages.TestImages;
import dev.berth.testsupport.TarBuilder;
import dev.berth.testsupport.TreeDiff;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regular files written on writer threads give the very tree that one thread gives: the same
 * files, bytes, owners, modes, times and links, for a real image and for archives whose order is
 * what makes them tricky (a name replaced, a directory replaced by a file, a link to a file
 * still being written, a whiteout of one, a file under a name that is a file).
 */
class ParallelUnpackTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void nodeImage_eachLayerOverlay_sameTreeAsOneThread() throws Exception {
    Path layout = TestImages.layout("node");
    int i = 0;
    for (JsonNode layer : layers(layout)) {
      Path blob = layout.resolve("blobs/sha256/" + layer.path("digest").asText().substring(7));
      Compression compression = MediaTypes.layerCompression(layer.path("mediaType").asText());
      Path serial = unpack(UnpackOptions.overlay().withParallelFiles(false), blob, compression, "serial" + i);
      Path parallel = unpack(UnpackOptions.overlay().withParallelFiles(true), blob, compression, "parallel" + i);
      TreeDiff.between(serial, parallel).withMtimes().assertSame();
      i++;
    }
    assertThat(i).isGreaterThan(1);
  }

  @Test
  void trickyOrder_flattenOnALowerLayer_sameTreeAsOneThread() throws Exception {
    byte[] lower = new TarBuilder()
        .dir("w").file("w/old", "lower").dir("keep").file("keep/x", "x")
        .bytes();
    byte[] upper = new TarBuilder()
        .file("a", "one").file("a", "two, replacing one")
        .dir("d").file("d/x", "in d").file("d/y", "in d too").file("d", "d is a file now")
        .file("h", "linked").hardlink("h2", "h")
        .file("w/y", "written, then whited out").whiteout("w", "y").whiteout("w", "old")
        .file("s", "a file, then a symlink").symlink("s", "a")
        .dir("e").file("e/1", "1").dir("e", t -> t.setMode(0700)).file("e/2", "2")
        .file("big", "x".repeat(FileWriters.MAX_QUEUED_FILE + 1))
        .file("keep/x", "replaced in the lower layer's dir")
        .bytes();
    Path serial = Files.createDirectory(tmp.resolve("serial"));
    Path parallel = Files.createDirectory(tmp.resolve("parallel"));
    for (byte[] layer : List.of(lower, upper)) {
      apply(UnpackOptions.flatten().withParallelFiles(false), layer, serial);
      apply(UnpackOptions.flatten().withParallelFiles(true), layer, parallel);
    }
    TreeDiff.between(serial, parallel).withMtimes().ignoringRoot().assertSame();
    assertThat(Files.readString(parallel.resolve("a"))).isEqualTo("two, replacing one");
    assertThat(parallel.resolve("d")).isRegularFile();
    assertThat(parallel.resolve("w/old")).doesNotExist();
    assertThat(Files.isSymbolicLink(parallel.resolve("s"))).isTrue();
  }

  @Test
  void fileUnderANameThatIsAQueuedFile_failsAsOneThreadFails() throws Exception {
    byte[] layer = new TarBuilder().file("f", "a file").file("f/g", "under a file").bytes();
    Throwable serial = catchThrowable(() -> apply(UnpackOptions.overlay().withParallelFiles(false),
        layer, Files.createDirectory(tmp.resolve("serial"))));
    Throwable parallel = catchThrowable(() -> apply(UnpackOptions.overlay().withParallelFiles(true), layer,
        Files.createDirectory(tmp.resolve("parallel"))));
    assertThat(serial).isNotNull();
    assertThat(parallel).isNotNull().hasSameClassAs(serial);
    assertThat(parallel.getMessage()).isEqualTo(serial.getMessage());
  }

  private Path unpack(UnpackOptions options, Path blob, Compression compression, String name)
      throws Exception {
    Path dir = Files.createDirectory(tmp.resolve(name));
    try (InputStream in = Files.newInputStream(blob)) {
      new LayerUnpacker(options).unpack(in, compression, dir, name);
    }
    return dir;
  }

  private static void apply(UnpackOptions options, byte[] layer, Path dir) {
    new LayerUnpacker(options).unpack(new ByteArrayInputStream(layer), Compression.NONE, dir, "layer");
  }

  private static JsonNode layers(Path layout) throws Exception {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    String manifest = index.path("manifests").path(0).path("digest").asText().substring(7);
    return JSON.readTree(layout.resolve("blobs/sha256/" + manifest).toFile()).path("layers");
  }
}
