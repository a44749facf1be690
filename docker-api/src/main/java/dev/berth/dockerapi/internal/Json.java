package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** The API's one JSON mapper and the small helpers that build Docker's documents. */
public final class Json {
  /** A JSON request body larger than this is refused with 413. */
  static final long MAX_BODY = 8L << 20;

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  public static ArrayNode array(Collection<String> values) {
    ArrayNode a = array();
    values.forEach(a::add);
    return a;
  }

  /** @return the strings as an array, or JSON null when there are none (as Docker writes) */
  public static JsonNode arrayOrNull(Collection<String> values) {
    return values == null || values.isEmpty() ? MAPPER.nullNode() : array(values);
  }

  public static ObjectNode object(Map<String, String> values) {
    ObjectNode o = object();
    values.forEach(o::put);
    return o;
  }

  /** @return Docker's time format (RFC 3339 with nanoseconds), or its zero time for null */
  public static String time(Instant t) {
    return t == null ? "0001-01-01T00:00:00Z" : t.toString();
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** One line of a JSON stream (progress, events): the document and a newline. */
  public static byte[] line(Object value) {
    byte[] b = bytes(value);
    byte[] withNewline = java.util.Arrays.copyOf(b, b.length + 1);
    withNewline[b.length] = '\n';
    return withNewline;
  }

  // ---- reading request documents leniently, as Docker does (missing = default)

  public static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  public static boolean bool(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.asBoolean(false);
  }

  public static long number(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isNumber()) {
      throw ApiException.badRequest("invalid value for " + field + ": " + v + " is not a number");
    }
    return v.asLong();
  }

  /** @return the field's strings: an array, a single string (Docker accepts both), or empty */
  public static java.util.List<String> strings(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || v.isNull()) {
      return java.util.List.of();
    }
    if (v.isTextual()) {
      return java.util.List.of(v.asText());
    }
    if (!v.isArray()) {
      throw ApiException.badRequest("invalid value for " + field + ": expected a list of strings");
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    v.forEach(e -> out.add(e.asText()));
    return out;
  }

  public static Map<String, String> stringMap(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      throw ApiException.badRequest("invalid value for " + field + ": expected an object");
    }
    v.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
