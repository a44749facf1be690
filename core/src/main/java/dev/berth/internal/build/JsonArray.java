package dev.berth.internal.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** The exec form of RUN, CMD, ENTRYPOINT, SHELL, VOLUME: a JSON array of strings. */
final class JsonArray {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonArray() {}

  /** @return the strings, or null when {@code text} is not a JSON array of strings */
  static List<String> parse(String text) {
    if (!text.startsWith("[")) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(text);
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
