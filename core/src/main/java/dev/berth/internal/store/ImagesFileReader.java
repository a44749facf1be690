package dev.berth.internal.store;

import dev.berth.internal.util.JsonReader;
import dev.berth.internal.util.RecordJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code images.json} with {@link RecordJson} instead of Jackson's data binding, which a
 * cold JVM pays for with ~400 more classes and record introspection before the first list: the
 * cost of {@code berth images} (and Jackson's streaming parser ~40 ms of a fresh JVM's first
 * container). Same contract as the binding it replaces: unknown fields are skipped (both types
 * ignore them), a missing field is null (0 for the size); anything else malformed, text after the
 * index's object and an image that is {@code null} included, is a {@link JsonReader.SyntaxError}.
 * Writes still go through the binding.
 */
final class ImagesFileReader {
  private ImagesFileReader() {}

  static List<ImageRecord> read(Path file) throws IOException {
    JsonReader r = new JsonReader(Files.readAllBytes(file));
    // ImagesFile copies its list: a null image is refused there, as a RecordJson.WrongType
    List<ImageRecord> images = RecordJson.read(r, ImageIndex.ImagesFile.class).images();
    r.expectEnd();
    return images;
  }
}
