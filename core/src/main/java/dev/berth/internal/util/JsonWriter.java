package dev.berth.internal.util;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes one JSON document to bytes, compact or indented, the latter exactly as Jackson's
 * {@code INDENT_OUTPUT} does ({@code "name" : value}, two spaces a level, arrays on one line as
 * {@code [ 1, 2 ]}, empty ones as {@code { }} and {@code [ ]}), so files Berth wrote before
 * with the data binding and files written now are the same bytes. Strings are escaped as
 * Jackson escapes them: {@code \"}, {@code \\}, {@code \b \t \n \f \r}, other control
 * characters and each half of a character beyond U+FFFF as {@code \}{@code uXXXX}, everything else
 * as UTF-8. The caller writes a
 * well-formed sequence (a name before each value in an object); this class does not check.
 */
public final class JsonWriter {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
  private final boolean indented;
  /** Per open container, innermost last: what it holds so far. */
  private int[] counts = new int[16];
  private int depth;
  private int openObjects;
  /** A field name was just written: the value follows it directly. */
  private boolean afterName;

  public JsonWriter(boolean indented) {
    this.indented = indented;
  }

  /** @return the document written */
  public byte[] toByteArray() {
    return out.toByteArray();
  }

  public JsonWriter startObject() {
    beforeValue();
    push();
    openObjects++;
    out.write('{');
    return this;
  }

  public JsonWriter endObject() {
    openObjects--;
    int count = pop();
    if (indented) {
      if (count > 0) {
        newLine(openObjects);
      } else {
        out.write(' ');
      }
    }
    out.write('}');
    return this;
  }

  public JsonWriter startArray() {
    beforeValue();
    push();
    out.write('[');
    return this;
  }

  public JsonWriter endArray() {
    pop();
    if (indented) {
      out.write(' ');
    }
    out.write(']');
    return this;
  }

  public JsonWriter name(String name) {
    if (counts[depth - 1]++ > 0) {
      out.write(',');
    }
    if (indented) {
      newLine(openObjects);
    }
    quoted(name);
    raw(indented ? " : " : ":");
    afterName = true;
    return this;
  }

  public JsonWriter value(String s) {
    beforeValue();
    quoted(s);
    return this;
  }

  public JsonWriter nullValue() {
    beforeValue();
    raw("null");
    return this;
  }

  public JsonWriter value(boolean b) {
    beforeValue();
    raw(b ? "true" : "false");
    return this;
  }

  /** Writes a number: its {@code toString}, as Jackson writes longs, ints, doubles and BigIntegers. */
  public JsonWriter value(Number n) {
    if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
      throw new IllegalArgumentException(d + " is no JSON number");
    }
    beforeValue();
    raw(n.toString());
    return this;
  }

  private void beforeValue() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth == 0) {
      return;
    }
    if (counts[depth - 1]++ > 0) {
      out.write(',');
    }
    if (indented) {
      out.write(' ');
    }
  }

  private void push() {
    if (depth == counts.length) {
      counts = java.util.Arrays.copyOf(counts, depth * 2);
    }
    counts[depth++] = 0;
  }

  private int pop() {
    return counts[--depth];
  }

  private void newLine(int level) {
    out.write('\n');
    for (int i = 0; i < level; i++) {
      out.write(' ');
      out.write(' ');
    }
  }

  private void raw(String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      out.write(ascii.charAt(i));
    }
  }

  private void quoted(String s) {
    out.write('"');
    int run = 0; // start of the characters not yet written
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      utf8(s, run, i);
      out.write('\\');
      switch (c) {
        case '"' -> out.write('"');
        case '\\' -> out.write('\\');
        case '\b' -> out.write('b');
        case '\t' -> out.write('t');
        case '\n' -> out.write('n');
        case '\f' -> out.write('f');
        case '\r' -> out.write('r');
        default -> {
          // control characters, and the halves of a character beyond U+FFFF: Jackson writes
          // those as two escapes rather than four bytes of UTF-8
          out.write('u');
          for (int shift = 12; shift >= 0; shift -= 4) {
            out.write(HEX[(c >> shift) & 0xf]);
          }
        }
      }
      run = i + 1;
    }
    utf8(s, run, s.length());
    out.write('"');
  }

  private void utf8(String s, int from, int to) {
    if (to > from) {
      byte[] b = s.substring(from, to).getBytes(StandardCharsets.UTF_8);
      out.write(b, 0, b.length);
    }
  }
}
