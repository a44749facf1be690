package dev.berth.internal.util;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code @JsonProperty} names on a record's accessors, read from its class file (JVMS §4.7.16)
 * instead of through reflection. Reflection makes a proxy class for every annotation type on a
 * method it reads (here also {@code @JsonInclude}, {@code @JsonSerialize}, {@code
 * @JsonDeserialize}): 3–4 ms each in a cold JVM, paid by the first container of every JVM and by
 * every {@code berth run} for the image config's records (issue #17). {@link RecordJson} reads
 * names this way and falls back to reflection when the class file cannot be read.
 */
final class AccessorNames {
  private static final String JSON_PROPERTY = "Lcom/fasterxml/jackson/annotation/JsonProperty;";

  private AccessorNames() {}

  /**
   * @return accessor name → its {@code @JsonProperty} value, for each zero-argument method that
   *     has one with a {@code value}; null when the class file is not there or not one this reads
   */
  static Map<String, String> of(Class<?> type) {
    String name = type.getName();
    try (InputStream in = type.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
      return in == null ? null : read(new DataInputStream(new BufferedInputStream(in)));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Map<String, String> read(DataInputStream d) throws IOException {
    if (d.readInt() != 0xCAFEBABE) {
      return null;
    }
    d.skipNBytes(4); // minor, major
    int count = d.readUnsignedShort();
    String[] utf8 = new String[count];
    for (int i = 1; i < count; i++) {
      switch (d.readUnsignedByte()) {
        case 1 -> utf8[i] = d.readUTF(); // the class file's modified UTF-8 is readUTF's
        case 3, 4 -> d.skipNBytes(4);
        case 5, 6 -> {
          d.skipNBytes(8);
          i++; // a long or double takes two entries
        }
        case 7, 8, 16, 19, 20 -> d.skipNBytes(2);
        case 9, 10, 11, 12, 17, 18 -> d.skipNBytes(4);
        case 15 -> d.skipNBytes(3);
        default -> {
          return null; // a constant of a later class file version: reflection reads it
        }
      }
    }
    d.skipNBytes(6); // access, this, super
    d.skipNBytes(2L * d.readUnsignedShort()); // interfaces
    int fields = d.readUnsignedShort();
    for (int i = 0; i < fields; i++) {
      d.skipNBytes(6); // access, name, descriptor
      skipAttributes(d);
    }
    Map<String, String> names = new HashMap<>();
    int methods = d.readUnsignedShort();
    for (int i = 0; i < methods; i++) {
      d.skipNBytes(2);
      String method = utf8[d.readUnsignedShort()];
      boolean accessor = utf8[d.readUnsignedShort()].startsWith("()");
      int attributes = d.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        String attribute = utf8[d.readUnsignedShort()];
        int length = d.readInt();
        if (accessor && attribute.equals("RuntimeVisibleAnnotations")) {
          int annotations = d.readUnsignedShort();
          for (int n = 0; n < annotations; n++) {
            String value = annotation(d, utf8);
            if (value != null) {
              names.put(method, value);
            }
          }
        } else {
          d.skipNBytes(length);
        }
      }
    }
    return names;
  }

  /** Reads one annotation; @return its value when it is a {@code @JsonProperty} with one, else null. */
  private static String annotation(DataInputStream d, String[] utf8) throws IOException {
    boolean property = JSON_PROPERTY.equals(utf8[d.readUnsignedShort()]);
    String value = null;
    int pairs = d.readUnsignedShort();
    for (int p = 0; p < pairs; p++) {
      String element = utf8[d.readUnsignedShort()];
      int tag = d.readUnsignedByte();
      if (property && element.equals("value") && tag == 's') {
        value = utf8[d.readUnsignedShort()];
      } else {
        skipValue(d, tag, utf8);
      }
    }
    return value;
  }

  private static void skipValue(DataInputStream d, int tag, String[] utf8) throws IOException {
    switch (tag) {
      case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z', 's', 'c' -> d.skipNBytes(2);
      case 'e' -> d.skipNBytes(4);
      case '@' -> annotation(d, utf8);
      case '[' -> {
        int values = d.readUnsignedShort();
        for (int v = 0; v < values; v++) {
          skipValue(d, d.readUnsignedByte(), utf8);
        }
      }
      default -> throw new IOException("an element value of tag " + tag);
    }
  }

  private static void skipAttributes(DataInputStream d) throws IOException {
    int attributes = d.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      d.skipNBytes(2);
      d.skipNBytes(d.readInt());
    }
  }
}
