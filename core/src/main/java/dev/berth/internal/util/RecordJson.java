package dev.berth.internal.util;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.berth.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads and writes records as JSON with Jackson's streaming parser and generator, for the files a
 * container's start and a fresh JVM's first container touch ({@code container.json}, the image
 * config, {@code state.json}, the seccomp profile). Jackson's data binding does the same, and a
 * cold JVM pays ~600 classes and 150–350 ms for its first use; this pays a few.
 *
 * <p>Field names are the components' names, or their {@link JsonProperty} value. Values:
 * {@code String}, {@code boolean}, {@code int}, {@code long}, {@code double} (and their boxes),
 * {@link BigInteger}, {@link Digest}, records, and {@code List}s and {@code Map}s (string keys) of
 * those. A {@code Set<String>} is read from an object's keys, the way Docker writes sets
 * ({@code "ExposedPorts": {"80/tcp": {}}}). Reading is as strict as the types: unknown fields are
 * skipped, a missing field or {@code null} is {@code null} (0 or {@code false} for a primitive),
 * and any other token than the type's is a {@link WrongType} naming the field; nothing is coerced
 * (a number is no string). Writing writes every component, {@code null}s too, in declaration
 * order: what the data binding's defaults write, so the files read the same either way.
 */
public final class RecordJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();
  /** What a primitive component is when its field is missing or null. */
  private static final Map<Class<?>, Object> DEFAULTS = Map.of(boolean.class, false, int.class, 0,
      long.class, 0L, double.class, 0.0);

  private RecordJson() {}

  /** A value of another type than its field's, named by its path ({@code options.ports[0].hostPort}). */
  public static final class WrongType extends JsonProcessingException {
    private static final long serialVersionUID = 1L;

    WrongType(String message, JsonParser p) {
      super(message, p.currentLocation());
    }
  }

  /**
   * @return {@code record} as JSON, indented as the data binding's {@code INDENT_OUTPUT} does when
   *     {@code indented}
   */
  public static byte[] write(Record record, boolean indented) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      if (indented) {
        g.setPrettyPrinter(new DefaultPrettyPrinter());
      }
      value(g, record);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + record.getClass().getSimpleName(), e);
    }
    return out.toByteArray();
  }

  /**
   * @return the record the JSON document in {@code bytes} holds; text after it is ignored
   * @throws JsonProcessingException when it is not JSON ({@code JsonParseException}), a value has
   *     the wrong type ({@link WrongType}), or the record refused a value (its message)
   */
  public static <R extends Record> R read(byte[] bytes, Class<R> type) throws IOException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      p.nextToken();
      return type.cast(record(p, type, ""));
    }
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (v instanceof Digest d) {
      g.writeString(d.toString());
    } else if (v instanceof Record r) {
      Shape shape = shape(r.getClass());
      g.writeStartObject();
      for (int i = 0; i < shape.names.length; i++) {
        g.writeFieldName(shape.names[i]);
        value(g, shape.get(r, i));
      }
      g.writeEndObject();
    } else if (v instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object o : c) {
        value(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName((String) e.getKey());
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else {
      throw new IllegalArgumentException("RecordJson does not write " + v.getClass().getName());
    }
  }

  /** Reads the value at the parser's current token as {@code type}; {@code path} names it. */
  private static Object read(JsonParser p, Type type, String path) throws IOException {
    JsonToken t = p.currentToken();
    Class<?> raw = raw(type);
    if (t == JsonToken.VALUE_NULL) {
      return raw.isPrimitive() ? DEFAULTS.get(raw) : null;
    }
    if (raw == String.class) {
      return t == JsonToken.VALUE_STRING ? p.getText() : wrong(p, "a string", path);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE ? t == JsonToken.VALUE_TRUE
          : wrong(p, "true or false", path);
    }
    if (raw == int.class || raw == Integer.class) {
      return t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : wrong(p, "an integer", path);
    }
    if (raw == long.class || raw == Long.class) {
      return t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : wrong(p, "an integer", path);
    }
    if (raw == BigInteger.class) {
      return t == JsonToken.VALUE_NUMBER_INT ? p.getBigIntegerValue() : wrong(p, "an integer", path);
    }
    if (raw == double.class || raw == Double.class) {
      return t.isNumeric() ? p.getDoubleValue() : wrong(p, "a number", path);
    }
    if (raw == Digest.class) {
      if (t != JsonToken.VALUE_STRING) {
        return wrong(p, "a digest", path);
      }
      try {
        return Digest.parse(p.getText());
      } catch (IllegalArgumentException e) {
        throw new WrongType(path + ": " + e.getMessage(), p);
      }
    }
    if (raw.isRecord()) {
      return record(p, raw, path);
    }
    if (raw == List.class) {
      if (t != JsonToken.START_ARRAY) {
        return wrong(p, "an array", path);
      }
      List<Object> list = new ArrayList<>();
      Type element = argument(type, 0);
      while (p.nextToken() != JsonToken.END_ARRAY) {
        list.add(read(p, element, path + "[" + list.size() + "]"));
      }
      return list;
    }
    if (raw == Set.class && argument(type, 0) == String.class) {
      if (t != JsonToken.START_OBJECT) {
        return wrong(p, "an object", path);
      }
      Set<String> keys = new LinkedHashSet<>();
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        keys.add(name);
        p.nextToken();
        p.skipChildren();
      }
      return keys;
    }
    if (raw == Map.class && argument(type, 0) == String.class) {
      if (t != JsonToken.START_OBJECT) {
        return wrong(p, "an object", path);
      }
      Map<String, Object> map = new LinkedHashMap<>();
      Type valueType = argument(type, 1);
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        p.nextToken();
        map.put(name, read(p, valueType, path + "." + name));
      }
      return map;
    }
    throw new IllegalArgumentException("RecordJson does not read " + type.getTypeName());
  }

  private static Object record(JsonParser p, Class<?> type, String path) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return wrong(p, "an object", path.isEmpty() ? "the document" : path);
    }
    Shape shape = shape(type);
    Object[] args = new Object[shape.names.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = shape.types[i] instanceof Class<?> c && c.isPrimitive() ? DEFAULTS.get(c) : null;
    }
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      p.nextToken();
      Integer i = shape.index.get(name);
      if (i == null) {
        p.skipChildren(); // fields of later Berths, and of the documents' other writers
      } else {
        args[i] = read(p, shape.types[i], path.isEmpty() ? name : path + "." + name);
      }
    }
    return shape.create(args, p, path);
  }

  private static Object wrong(JsonParser p, String wanted, String path) throws WrongType {
    throw new WrongType("expected " + wanted + " for " + path + " but found "
        + describe(p.currentToken()), p);
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      default -> t.toString();
    };
  }

  private static Class<?> raw(Type type) {
    return type instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) type;
  }

  private static Type argument(Type type, int i) {
    if (!(type instanceof ParameterizedType pt)) {
      throw new IllegalArgumentException("RecordJson needs the element type of " + type.getTypeName());
    }
    return pt.getActualTypeArguments()[i];
  }

  private static Shape shape(Class<?> type) {
    return SHAPES.computeIfAbsent(type, Shape::new);
  }

  /** A record type's components: JSON names, generic types, accessors and canonical constructor. */
  private static final class Shape {
    final String[] names;
    final Type[] types;
    final Method[] accessors;
    final Map<String, Integer> index = new HashMap<>();
    final Constructor<?> constructor;

    Shape(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      names = new String[components.length];
      types = new Type[components.length];
      accessors = new Method[components.length];
      Class<?>[] raw = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        RecordComponent c = components[i];
        accessors[i] = c.getAccessor();
        // JsonProperty does not target record components: Java puts it on the accessor (and field)
        JsonProperty property = accessors[i].getAnnotation(JsonProperty.class);
        names[i] = property != null && !property.value().isEmpty() ? property.value() : c.getName();
        types[i] = c.getGenericType();
        raw[i] = c.getType();
        accessors[i].setAccessible(true);
        index.put(names[i], i);
      }
      try {
        constructor = type.getDeclaredConstructor(raw);
        constructor.setAccessible(true);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(type + " has no canonical constructor", e);
      }
    }

    Object get(Object record, int i) {
      try {
        return accessors[i].invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + names[i] + " of " + record.getClass(), e);
      }
    }

    Object create(Object[] args, JsonParser p, String path) throws IOException {
      try {
        return constructor.newInstance(args);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof IllegalArgumentException || e.getCause() instanceof NullPointerException) {
          throw new WrongType((path.isEmpty() ? "" : path + ": ") + e.getCause().getMessage(), p);
        }
        throw new IllegalStateException("cannot make " + constructor.getDeclaringClass(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot make " + constructor.getDeclaringClass(), e);
      }
    }
  }
}
