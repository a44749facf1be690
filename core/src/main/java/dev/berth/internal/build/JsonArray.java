package dev.berth.internal.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.internal.util.Json;
import java.util.ArrayList;
import java.util.List;

/** The exec form of RUN, CMD, ENTRYPOINT, SHELL, VOLUME: a JSON array of strings. */
final class JsonArray {

  private JsonArray() {}

  /** @return the strings, or null when {@code text} is not a JSON array of strings */
  static List<String> parse(String text) {
    if (!text.startsWith("[")) {
      return null;
    }
    try {
      // trailing text after the array makes it the shell form, as in Docker
      JsonNode n = Json.NO_TRAILING_TEXT.readTree(text);
      if (!n.isArray()) {
        return null;
      }
      List<String> out = new ArrayList<>();
      for (JsonNode e : n) {
        if (!e.isTextual()) {
          return null;
        }
        out.add(e.asText());
      }
      return out;
    } catch (java.io.IOException e) {
      return null; // Docker then takes it as the shell form
    }
  }
}
