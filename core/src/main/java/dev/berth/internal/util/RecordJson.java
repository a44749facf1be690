package dev.berth.internal.util;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.Digest;
import dev.berth.internal.util.JsonReader.Token;
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
 * Reads and writes records as JSON ({@link JsonReader}, {@link JsonWriter}), for the files a
 * container's start and a fresh JVM's first container touch ({@code container.json}, the image
 * config, {@code state.json}, the seccomp profile). Jackson's data binding does the same, and a
 * cold JVM pays ~600 classes and 150–350 ms for its first use (its streaming parser alone ~40 ms);
 * this pays a few classes.
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
  private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();
  /** What a primitive component is when its field is missing or null. */
  private static final Map<Class<?>, Object> DEFAULTS = Map.of(boolean.class, false, int.class, 0,
      long.class, 0L, double.class, 0.0);

  private RecordJson() {}

  /** A value of another type than its field's, named by its path ({@code options.ports[0].hostPort}). */
  public static final class WrongType extends JsonReader.SyntaxError {
    private static final long serialVersionUID = 1L;

    WrongType(String message, JsonReader r) {
      super(r.at(message));
    }
  }

  /**
   * @return {@code record} as JSON, indented as the data binding's {@code INDENT_OUTPUT} does when
   *     {@code indented}
   */
  public static byte[] write(Record record, boolean indented) {
    JsonWriter w = new JsonWriter(indented);
    value(w, record);
    return w.toByteArray();
  }

  /**
   * @return the record the JSON document in {@code bytes} holds; text after it is ignored
   * @throws JsonReader.SyntaxError when it is not JSON, a value has the wrong type ({@link
   *     WrongType}), or the record refused a value (a WrongType with its message)
   */
  public static <R extends Record> R read(byte[] bytes, Class<R> type) throws IOException {
    return read(new JsonReader(bytes), type);
  }

  /** As {@link #read(byte[], Class)}, from {@code r}'s next token: {@code r} can then check the end. */
  public static <R extends Record> R read(JsonReader r, Class<R> type) throws IOException {
    r.next();
    return type.cast(record(r, type, ""));
  }

  private static void value(JsonWriter w, Object v) {
    if (v == null) {
      w.nullValue();
    } else if (v instanceof String s) {
      w.value(s);
    } else if (v instanceof Boolean b) {
      w.value(b);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Double
        || v instanceof BigInteger) {
      w.value((Number) v);
    } else if (v instanceof Digest d) {
      w.value(d.toString());
    } else if (v instanceof Record r) {
      Shape shape = shape(r.getClass());
      w.startObject();
      for (int i = 0; i < shape.names.length; i++) {
        w.name(shape.names[i]);
        value(w, shape.get(r, i));
      }
      w.endObject();
    } else if (v instanceof Collection<?> c) {
      w.startArray();
      for (Object o : c) {
        value(w, o);
      }
      w.endArray();
    } else if (v instanceof Map<?, ?> m) {
      w.startObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        w.name((String) e.getKey());
        value(w, e.getValue());
      }
      w.endObject();
    } else {
      throw new IllegalArgumentException("RecordJson does not write " + v.getClass().getName());
    }
  }

  /** Reads the value at the reader's current token as {@code type}; {@code path} names it. */
  private static Object read(JsonReader p, Type type, String path) throws IOException {
    Token t = p.current();
    Class<?> raw = raw(type);
    if (t == Token.NULL) {
      return raw.isPrimitive() ? DEFAULTS.get(raw) : null;
    }
    if (raw == String.class) {
      return t == Token.STRING ? p.text() : wrong(p, "a string", path);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return t == Token.TRUE || t == Token.FALSE ? t == Token.TRUE : wrong(p, "true or false", path);
    }
    if (raw == int.class || raw == Integer.class) {
      return p.isInteger() ? p.intValue() : wrong(p, "an integer", path);
    }
    if (raw == long.class || raw == Long.class) {
      return p.isInteger() ? p.longValue() : wrong(p, "an integer", path);
    }
    if (raw == BigInteger.class) {
      return p.isInteger() ? p.bigIntegerValue() : wrong(p, "an integer", path);
    }
    if (raw == double.class || raw == Double.class) {
      return t == Token.NUMBER ? p.doubleValue() : wrong(p, "a number", path);
    }
    if (raw == Digest.class) {
      if (t != Token.STRING) {
        return wrong(p, "a digest", path);
      }
      try {
        return Digest.parse(p.text());
      } catch (IllegalArgumentException e) {
        throw new WrongType(path + ": " + e.getMessage(), p);
      }
    }
    if (raw.isRecord()) {
      return record(p, raw, path);
    }
    if (raw == List.class) {
      if (t != Token.START_ARRAY) {
        return wrong(p, "an array", path);
      }
      List<Object> list = new ArrayList<>();
      Type element = argument(type, 0);
      while (p.next() != Token.END_ARRAY) {
        list.add(read(p, element, path + "[" + list.size() + "]"));
      }
      return list;
    }
    if (raw == Set.class && argument(type, 0) == String.class) {
      if (t != Token.START_OBJECT) {
        return wrong(p, "an object", path);
      }
      Set<String> keys = new LinkedHashSet<>();
      while (p.next() == Token.FIELD_NAME) {
        keys.add(p.text());
        p.next();
        p.skipValue();
      }
      return keys;
    }
    if (raw == Map.class && argument(type, 0) == String.class) {
      if (t != Token.START_OBJECT) {
        return wrong(p, "an object", path);
      }
      Map<String, Object> map = new LinkedHashMap<>();
      Type valueType = argument(type, 1);
      while (p.next() == Token.FIELD_NAME) {
        String name = p.text();
        p.next();
        map.put(name, read(p, valueType, path + "." + name));
      }
      return map;
    }
    throw new IllegalArgumentException("RecordJson does not read " + type.getTypeName());
  }

  private static Object record(JsonReader p, Class<?> type, String path) throws IOException {
    if (p.current() != Token.START_OBJECT) {
      return wrong(p, "an object", path.isEmpty() ? "the document" : path);
    }
    Shape shape = shape(type);
    Object[] args = new Object[shape.names.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = shape.types[i] instanceof Class<?> c && c.isPrimitive() ? DEFAULTS.get(c) : null;
    }
    while (p.next() == Token.FIELD_NAME) {
      String name = p.text();
      p.next();
      Integer i = shape.index.get(name);
      if (i == null) {
        p.skipValue(); // fields of later Berths, and of the documents' other writers
      } else {
        args[i] = read(p, shape.types[i], path.isEmpty() ? name : path + "." + name);
      }
    }
    return shape.create(args, p, path);
  }

  private static Object wrong(JsonReader p, String wanted, String path) throws WrongType {
    throw new WrongType("expected " + wanted + " for " + path + " but found "
        + describe(p.current()), p);
  }

  private static String describe(Token t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case TRUE, FALSE -> "a boolean";
      case END -> "the end of the input";
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
      // from the class file: no proxy class per annotation type, as reflection would make;
      // a record that names none (not JsonNamed) has its components' names
      Map<String, String> declared = JsonNamed.class.isAssignableFrom(type) ? AccessorNames.of(type) : Map.of();
      for (int i = 0; i < components.length; i++) {
        RecordComponent c = components[i];
        accessors[i] = c.getAccessor();
        // JsonProperty does not target record components: Java puts it on the accessor (and field)
        String property;
        if (declared != null) {
          property = declared.get(c.getName());
        } else {
          JsonProperty annotation = accessors[i].getAnnotation(JsonProperty.class);
          property = annotation == null ? null : annotation.value();
        }
        names[i] = property != null && !property.isEmpty() ? property : c.getName();
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

    Object create(Object[] args, JsonReader p, String path) throws IOException {
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
