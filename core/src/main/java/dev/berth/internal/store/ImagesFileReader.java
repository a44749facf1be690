package dev.berth.internal.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code images.json} with Jackson's streaming parser instead of its data binding, which a
 * cold JVM pays for with ~400 more classes and record introspection before the first list: the
 * cost of {@code berth images}. Same contract as the binding it replaces: unknown fields are
 * skipped (both types ignore them), a missing field is null (0 for the size), anything else
 * malformed is a {@link JsonParseException}. Writes still go through the binding.
 */
final class ImagesFileReader {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ImagesFileReader() {}

  static List<ImageRecord> read(Path file) throws IOException {
    try (JsonParser p = FACTORY.createParser(file.toFile())) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT);
      List<ImageRecord> images = List.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("images") && value != JsonToken.VALUE_NULL) {
          expect(p, value, JsonToken.START_ARRAY);
          images = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            images.add(record(p));
          }
        } else {
          p.skipChildren(); // version, and fields of later Berths
        }
      }
      expect(p, p.currentToken(), JsonToken.END_OBJECT);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "text after the image index's object");
      }
      return List.copyOf(images);
    }
  }

  private static ImageRecord record(JsonParser p) throws IOException {
    expect(p, p.currentToken(), JsonToken.START_OBJECT);
    String id = null, manifestDigest = null, manifestMediaType = null, created = null;
    String platform = null, stored = null;
    List<String> repoTags = null, repoDigests = null, chainIds = null, diffIds = null;
    List<String> layerDigests = null;
    long size = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "id" -> id = text(p);
        case "manifestDigest" -> manifestDigest = text(p);
        case "manifestMediaType" -> manifestMediaType = text(p);
        case "repoTags" -> repoTags = texts(p);
        case "repoDigests" -> repoDigests = texts(p);
        case "chainIds" -> chainIds = texts(p);
        case "diffIds" -> diffIds = texts(p);
        case "layerDigests" -> layerDigests = texts(p);
        case "size" -> size = p.currentToken() == JsonToken.VALUE_NULL ? 0 : p.getLongValue();
        case "created" -> created = text(p);
        case "platform" -> platform = text(p);
        case "stored" -> stored = text(p);
        default -> p.skipChildren();
      }
    }
    expect(p, p.currentToken(), JsonToken.END_OBJECT);
    return new ImageRecord(id, manifestDigest, manifestMediaType, repoTags, repoDigests, chainIds,
        diffIds, layerDigests, size, created, platform, stored);
  }

  private static String text(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, p.currentToken(), JsonToken.VALUE_STRING);
    return p.getText();
  }

  private static List<String> texts(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, p.currentToken(), JsonToken.START_ARRAY);
    List<String> l = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      l.add(text(p));
    }
    return l;
  }

  private static void expect(JsonParser p, JsonToken got, JsonToken wanted) throws IOException {
    if (got != wanted) {
      throw new JsonParseException(p, "expected " + wanted + " but found " + got);
    }
  }
}
