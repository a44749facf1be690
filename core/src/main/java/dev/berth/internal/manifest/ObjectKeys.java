package dev.berth.internal.manifest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Docker writes sets as objects with empty values ({@code "ExposedPorts": {"80/tcp": {}}}); these
 * map them to and from a {@code Set} of the keys.
 */
final class ObjectKeys {
  private ObjectKeys() {}

  static final class Reader extends JsonDeserializer<Set<String>> {
    @Override
    @SuppressWarnings("unchecked")
    public Set<String> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.isExpectedStartObjectToken()) {
        return (Set<String>) ctxt.handleUnexpectedToken(Set.class, p);
      }
      Set<String> keys = new LinkedHashSet<>();
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        keys.add(name);
        p.nextToken();
        p.skipChildren();
      }
      return keys;
    }
  }

  static final class Writer extends JsonSerializer<Set<String>> {
    @Override
    public void serialize(Set<String> keys, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartObject();
      for (String key : keys) {
        gen.writeFieldName(key);
        gen.writeStartObject();
        gen.writeEndObject();
      }
      gen.writeEndObject();
    }

    @Override
    public boolean isEmpty(SerializerProvider provider, Set<String> keys) {
      return keys == null || keys.isEmpty();
    }
  }
}
