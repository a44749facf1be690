package dev.berth.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.internal.util.JsonReader;
import dev.berth.internal.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming reader of images.json reads what the data binding writes, as the binding did. */
class ImagesFileReaderTest {
  @TempDir Path dir;

  private static ImageRecord record(String id, List<String> tags, String created) {
    return new ImageRecord(id, "sha256:m" + id, "application/vnd.oci.image.manifest.v1+json",
        tags, List.of("docker.io/library/x@sha256:d" + id), List.of("sha256:c1", "sha256:c2"),
        List.of("sha256:d1", "sha256:d2"), List.of("sha256:l1", "sha256:l2"), 123_456_789_012L,
        created, "linux/amd64", "2026-12-04T16:00:00Z");
  }

  @Test
  void read_givesWhatTheBindingWrote() throws Exception {
    List<ImageRecord> images = List.of(
        record("sha256:a", List.of("docker.io/library/busybox:latest", "localhost/b:1"),
            "2024-01-01T00:00:00Z"),
        record("sha256:b", List.of(), null)); // untagged, no creation time
    Path file = dir.resolve("images.json");
    Files.write(file, Json.INDENTED.writeValueAsBytes(new ImageIndex.ImagesFile(1, images)));

    assertThat(ImagesFileReader.read(file)).isEqualTo(images);
    assertThat(ImagesFileReader.read(file))
        .isEqualTo(Json.INDENTED.readValue(file.toFile(), ImageIndex.ImagesFile.class).images());
  }

  @Test
  void read_skipsUnknownFields_andTakesMissingOnesAsEmpty() throws Exception {
    Path file = dir.resolve("images.json");
    Files.writeString(file, "{\"version\":2,\"future\":{\"a\":[1,{\"b\":null}]},\"images\":["
        + "{\"id\":\"sha256:a\",\"later\":[\"x\"],\"size\":7,\"repoTags\":null}]}");
    List<ImageRecord> read = ImagesFileReader.read(file);
    assertThat(read).hasSize(1);
    assertThat(read.get(0).id()).isEqualTo("sha256:a");
    assertThat(read.get(0).size()).isEqualTo(7);
    assertThat(read.get(0).repoTags()).isEmpty();
    assertThat(read.get(0).created()).isNull();
    assertThat(read)
        .isEqualTo(Json.INDENTED.readValue(file.toFile(), ImageIndex.ImagesFile.class).images());
  }

  @Test
  void read_malformed_isAParseError() throws Exception {
    Path file = dir.resolve("images.json");
    for (String bad : List.of("{\"images\":[{\"id\":", "[]", "{\"images\":{}}",
        "{\"images\":[{\"repoTags\":\"x\"}]}", "{\"images\":[]} {}")) {
      Files.writeString(file, bad);
      assertThatThrownBy(() -> ImagesFileReader.read(file)).as(bad)
          .isInstanceOf(JsonReader.SyntaxError.class);
    }
  }
}
