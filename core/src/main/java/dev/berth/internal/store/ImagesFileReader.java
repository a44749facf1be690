package dev.berth.internal.store;

import dev.berth.internal.util.JsonReader;
import dev.berth.internal.util.JsonReader.Token;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code images.json} with {@link JsonReader} instead of Jackson's data binding, which a
 * cold JVM pays for with ~400 more classes and record introspection before the first list: the
 * cost of {@code berth images} (and Jackson's streaming parser ~40 ms of a fresh JVM's first
 * container). Same contract as the binding it replaces: unknown fields are skipped (both types
 * ignore them), a missing field is null (0 for the size), anything else malformed is a
 * {@link JsonReader.SyntaxError}. Writes still go through the binding.
 */
final class ImagesFileReader {
  private ImagesFileReader() {}

  static List<ImageRecord> read(Path file) throws IOException {
    JsonReader p = new JsonReader(Files.readAllBytes(file));
    expect(p, p.next(), Token.START_OBJECT);
    List<ImageRecord> images = List.of();
    while (p.next() == Token.FIELD_NAME) {
      String field = p.text();
      Token value = p.next();
      if (field.equals("images") && value != Token.NULL) {
        expect(p, value, Token.START_ARRAY);
        images = new ArrayList<>();
        while (p.next() != Token.END_ARRAY) {
          images.add(record(p));
        }
      } else {
        p.skipValue(); // version, and fields of later Berths
      }
    }
    expect(p, p.current(), Token.END_OBJECT);
    p.expectEnd();
    return List.copyOf(images);
  }

  private static ImageRecord record(JsonReader p) throws IOException {
    expect(p, p.current(), Token.START_OBJECT);
    String id = null, manifestDigest = null, manifestMediaType = null, created = null;
    String platform = null, stored = null;
    List<String> repoTags = null, repoDigests = null, chainIds = null, diffIds = null;
    List<String> layerDigests = null;
    long size = 0;
    while (p.next() == Token.FIELD_NAME) {
      String field = p.text();
      p.next();
      switch (field) {
        case "id" -> id = text(p);
        case "manifestDigest" -> manifestDigest = text(p);
        case "manifestMediaType" -> manifestMediaType = text(p);
        case "repoTags" -> repoTags = texts(p);
        case "repoDigests" -> repoDigests = texts(p);
        case "chainIds" -> chainIds = texts(p);
        case "diffIds" -> diffIds = texts(p);
        case "layerDigests" -> layerDigests = texts(p);
        case "size" -> size = size(p);
        case "created" -> created = text(p);
        case "platform" -> platform = text(p);
        case "stored" -> stored = text(p);
        default -> p.skipValue();
      }
    }
    expect(p, p.current(), Token.END_OBJECT);
    return new ImageRecord(id, manifestDigest, manifestMediaType, repoTags, repoDigests, chainIds,
        diffIds, layerDigests, size, created, platform, stored);
  }

  private static long size(JsonReader p) throws IOException {
    if (p.current() == Token.NULL) {
      return 0;
    }
    if (!p.isInteger()) {
      throw p.error("expected an integer size but found " + p.current());
    }
    return p.longValue();
  }

  private static String text(JsonReader p) throws IOException {
    if (p.current() == Token.NULL) {
      return null;
    }
    expect(p, p.current(), Token.STRING);
    return p.text();
  }

  private static List<String> texts(JsonReader p) throws IOException {
    if (p.current() == Token.NULL) {
      return null;
    }
    expect(p, p.current(), Token.START_ARRAY);
    List<String> l = new ArrayList<>();
    while (p.next() != Token.END_ARRAY) {
      l.add(text(p));
    }
    return l;
  }

  private static void expect(JsonReader p, Token got, Token wanted) throws IOException {
    if (got != wanted) {
      throw p.error("expected " + wanted + " but found " + got);
    }
  }
}
