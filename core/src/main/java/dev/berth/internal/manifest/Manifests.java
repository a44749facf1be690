package dev.berth.internal.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.berth.Digest;
import dev.berth.RegistryException;
import dev.berth.internal.util.RecordJson;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads manifests, indexes and image configs from the bytes a registry sent.
 *
 * <pre>{@code
 * ManifestDocument doc = Manifests.parse(body, response.header("Content-Type"),
 *     "manifest of docker.io/library/node:latest");
 * if (doc instanceof ImageIndex index) { ... PlatformMatcher.select(index, wanted, ref) ... }
 * }</pre>
 *
 * <p>Keep the bytes: a digest is over them, never over a re-serialised record.
 */
public final class Manifests {
  /** Content types that say nothing about the kind of manifest. */
  private static final Set<String> GENERIC_TYPES =
      Set.of("", "application/json", "application/octet-stream", "text/plain");
  private static final Set<String> SCHEMA1_TYPES =
      Set.of(MediaTypes.DOCKER_SCHEMA1_MANIFEST, MediaTypes.DOCKER_SCHEMA1_SIGNED_MANIFEST);

  /** Holder: a run reads its image config without the binding, so a fresh JVM need not make it. */
  private static final class Binding {
    static final ObjectMapper MAPPER = JsonMapper.builder()
        .addModule(new SimpleModule("berth-digest")
            .addDeserializer(Digest.class, new DigestReader())
            .addSerializer(Digest.class, new DigestWriter()))
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .serializationInclusion(JsonInclude.Include.NON_EMPTY)
        .build();
  }

  private Manifests() {}

  /** Like {@link #parse(byte[], String, String)}, naming the document just "manifest". */
  public static ManifestDocument parse(byte[] body, String contentType) {
    return parse(body, contentType, "manifest");
  }

  /**
   * Reads an image manifest or index. The kind is the body's {@code mediaType}; without one, the
   * {@code Content-Type}; without a specific one, the shape ({@code manifests} makes an index,
   * {@code layers} or {@code config} an image manifest).
   *
   * @param body the bytes as the registry sent them
   * @param contentType the response's {@code Content-Type}, or {@code null}
   * @param source names the document in error messages, e.g. "manifest of docker.io/library/node:1"
   * @throws RegistryException for malformed JSON (with line and column), a schema 1 manifest, an
   *     unknown media type (listing the supported ones) or an invalid field
   */
  public static ManifestDocument parse(byte[] body, String contentType, String source) {
    JsonNode tree = read(body, source);
    if (!tree.isObject()) {
      throw new RegistryException(source + " is not a JSON object: it starts with "
          + tree.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    String kind = kind(tree, mediaTypeOnly(contentType), source);
    Class<? extends ManifestDocument> type =
        MediaTypes.isIndex(kind) ? ImageIndex.class : ImageManifest.class;
    return bind(body, type, source);
  }

  /**
   * Reads an image config.
   *
   * @param source names the document in error messages, e.g. "config sha256:… of node:latest"
   * @throws RegistryException for malformed JSON (with line and column) or an invalid field
   */
  public static ImageConfig parseConfig(byte[] body, String source) {
    try {
      // the streaming reader: a fresh JVM's first container spares the data binding's start-up
      return RecordJson.read(body, ImageConfig.class);
    } catch (IOException | RuntimeException e) {
      // it is stricter (no coercion): the binding decides, and its errors are the ones users see
      return bind(body, ImageConfig.class, source);
    }
  }

  /**
   * Writes a document Berth makes itself (for a push or an OCI layout), leaving out empty fields.
   * Hash the returned bytes, and store or send exactly them.
   */
  public static byte[] toJson(Object document) {
    try {
      return Binding.MAPPER.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + document.getClass().getSimpleName(), e);
    }
  }

  private static String kind(JsonNode tree, String contentType, String source) {
    String declared = tree.path("mediaType").asText("");
    if (tree.path("schemaVersion").asInt(0) == 1 || SCHEMA1_TYPES.contains(declared)
        || SCHEMA1_TYPES.contains(contentType)) {
      throw new RegistryException(source + " is a Docker schema 1 manifest: schema 1 manifests "
          + "are deprecated and unsupported; push the image again with a current client "
          + "(Docker 1.10 or later, buildah, crane, skopeo)");
    }
    if (!declared.isEmpty()) {
      return known(declared, "declares", source);
    }
    if (!GENERIC_TYPES.contains(contentType)) {
      return known(contentType, "was sent as", source);
    }
    return byShape(tree, source);
  }

  private static String known(String mediaType, String how, String source) {
    if (!MediaTypes.MANIFEST_TYPES.contains(mediaType)) {
      throw new RegistryException(source + " " + how + " media type '" + mediaType
          + "', which is not a manifest Berth reads; supported: "
          + String.join(", ", MediaTypes.MANIFEST_TYPES));
    }
    return mediaType;
  }

  private static String byShape(JsonNode tree, String source) {
    if (tree.has("manifests")) {
      return MediaTypes.OCI_INDEX;
    }
    if (tree.has("layers") || tree.has("config")) {
      return MediaTypes.OCI_MANIFEST;
    }
    throw new RegistryException(source + " has no mediaType and neither \"manifests\" nor "
        + "\"layers\": it is not an image manifest or index");
  }

  /** Strips parameters such as {@code ; charset=utf-8}. */
  private static String mediaTypeOnly(String contentType) {
    if (contentType == null) {
      return "";
    }
    String trimmed = contentType.trim().toLowerCase(Locale.ROOT);
    int semicolon = trimmed.indexOf(';');
    return semicolon < 0 ? trimmed : trimmed.substring(0, semicolon).trim();
  }

  private static JsonNode read(byte[] body, String source) {
    try {
      JsonNode tree = Binding.MAPPER.readTree(body);
      if (tree == null || tree.isMissingNode()) {
        throw new RegistryException(source + " is empty: expected a JSON document");
      }
      return tree;
    } catch (IOException e) {
      throw malformed(source, e);
    }
  }

  /** Binds {@code body} to {@code type}; errors as for {@link #parse(byte[], String, String)}. */
  static <T> T bind(byte[] body, Class<T> type, String source) {
    try {
      T value = Binding.MAPPER.readValue(body, type);
      if (value == null) {
        throw new RegistryException(source + " is empty or null: expected a JSON object");
      }
      return value;
    } catch (IOException e) {
      throw malformed(source, e);
    }
  }

  private static RegistryException malformed(String source, IOException e) {
    if (!(e instanceof JacksonException je)) {
      return new RegistryException("cannot read " + source + ": " + e.getMessage(), e);
    }
    return new RegistryException("malformed " + source + ": " + problem(je) + where(je), e);
  }

  /** The constructor's own message when a record refused a value, else Jackson's. */
  private static String problem(JacksonException e) {
    Throwable cause = e.getCause();
    return cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
  }

  private static String where(JacksonException e) {
    JsonLocation at = e.getLocation();
    String location = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    String path = e instanceof JsonMappingException jme ? path(jme.getPath()) : "";
    String field = path.isEmpty() ? "" : "field " + path;
    String both = location.isEmpty() || field.isEmpty() ? location + field : location + ", " + field;
    return both.isEmpty() ? "" : " (at " + both + ")";
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    return refs.stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  private static final class DigestReader extends JsonDeserializer<Digest> {
    @Override
    public Digest deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      if (text == null) {
        return (Digest) ctxt.handleUnexpectedToken(Digest.class, p);
      }
      try {
        return Digest.parse(text);
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, e.getMessage(), e);
      }
    }
  }

  private static final class DigestWriter extends JsonSerializer<Digest> {
    @Override
    public void serialize(Digest digest, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(digest.toString());
    }
  }
}
