package dev.berth.internal.util;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A pull parser for one JSON document (RFC 8259) in UTF-8 bytes: the files a container's start
 * reads ({@code images.json}, {@code container.json}, {@code state.json}, the image config, the
 * seccomp profile). Jackson's parser does the same; its classes cost a fresh JVM ~40 ms to load
 * before the first container, this one class a millisecond. Strict as the RFC: no comments, no
 * trailing commas, no leading zeros, no control characters in strings; a {@link SyntaxError}
 * says where.
 *
 * <pre>{@code
 * JsonReader r = new JsonReader(bytes);
 * r.next();                                   // START_OBJECT
 * while (r.next() == Token.FIELD_NAME) { String name = r.text(); r.next(); ... r.skipValue(); }
 * }</pre>
 */
public final class JsonReader {
  /** What {@link #next} found. */
  public enum Token {
    START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY, FIELD_NAME, STRING, NUMBER, TRUE, FALSE,
    NULL,
    /** the end of the document's value (what follows it is not read) */
    END
  }

  /** Text that is not the JSON expected (not JSON at all, or {@code RecordJson.WrongType}), with where. */
  public static class SyntaxError extends IOException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message);
    }
  }

  private final byte[] in;
  private int pos;
  /** Open containers, innermost last: true for an object. */
  private boolean[] stack = new boolean[16];
  private int depth;
  private boolean done;
  private Token current;
  private String text;
  private boolean integer;

  public JsonReader(byte[] in) {
    this.in = in;
  }

  /** @return the token after the current one */
  public Token next() throws SyntaxError {
    text = null;
    current = advance();
    return current;
  }

  /** @return the token {@link #next} returned last */
  public Token current() {
    return current;
  }

  /** @return the field name, the string, or the number's text */
  public String text() {
    return text;
  }

  /** @return whether the current number has no fraction and no exponent */
  public boolean isInteger() {
    return current == Token.NUMBER && integer;
  }

  /** @throws SyntaxError when the current integer does not fit a long */
  public long longValue() throws SyntaxError {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw error("the number " + text + " does not fit 64 bits");
    }
  }

  /** @throws SyntaxError when the current integer does not fit an int */
  public int intValue() throws SyntaxError {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw error("the number " + text + " does not fit 32 bits");
    }
  }

  public BigInteger bigIntegerValue() {
    return new BigInteger(text);
  }

  public double doubleValue() {
    return Double.parseDouble(text);
  }

  /** @throws SyntaxError when anything but white space follows the document's value */
  public void expectEnd() throws SyntaxError {
    skipSpace();
    if (pos < in.length) {
      throw error("text after the document: " + describe(peek()));
    }
  }

  /** Skips the current value: an object or array with all it holds, else nothing. */
  public void skipValue() throws SyntaxError {
    if (current != Token.START_OBJECT && current != Token.START_ARRAY) {
      return;
    }
    int target = depth - 1;
    while (depth > target) {
      if (next() == Token.END) {
        throw error("the document ends inside a value");
      }
    }
  }

  /** @return a SyntaxError naming the line and column of the current position */
  public SyntaxError error(String problem) {
    return new SyntaxError(at(problem));
  }

  /** @return {@code problem} with the line and column of the current position */
  String at(String problem) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(pos, in.length); i++) {
      if (in[i] == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return problem + " (at line " + line + ", column " + column + ")";
  }

  private Token advance() throws SyntaxError {
    if (done) {
      return Token.END;
    }
    skipSpace();
    if (depth == 0 || current == Token.FIELD_NAME) {
      return value();
    }
    boolean object = stack[depth - 1];
    int end = object ? '}' : ']';
    if (peek() == end) {
      pos++;
      return close();
    }
    if (current != Token.START_OBJECT && current != Token.START_ARRAY) {
      // after a value inside a container: a comma before the next
      if (peek() != ',') {
        throw error("expected ',' or '" + (char) end + "' but found " + describe(peek()));
      }
      pos++;
      skipSpace();
    }
    return object ? fieldName() : value();
  }

  private Token fieldName() throws SyntaxError {
    if (peek() != '"') {
      throw error("expected a field name but found " + describe(peek()));
    }
    pos++;
    text = string();
    skipSpace();
    if (peek() != ':') {
      throw error("expected ':' after the field name \"" + text + "\" but found " + describe(peek()));
    }
    pos++;
    return Token.FIELD_NAME;
  }

  private Token value() throws SyntaxError {
    int c = peek();
    switch (c) {
      case '{' -> {
        pos++;
        return open(true);
      }
      case '[' -> {
        pos++;
        return open(false);
      }
      case '"' -> {
        pos++;
        text = string();
        return ended(Token.STRING);
      }
      case 't' -> {
        literal("true");
        return ended(Token.TRUE);
      }
      case 'f' -> {
        literal("false");
        return ended(Token.FALSE);
      }
      case 'n' -> {
        literal("null");
        return ended(Token.NULL);
      }
      default -> {
        if (c == '-' || c >= '0' && c <= '9') {
          number();
          return ended(Token.NUMBER);
        }
        throw error("expected a value but found " + describe(c));
      }
    }
  }

  /** A scalar at the top level is the whole document. */
  private Token ended(Token t) {
    if (depth == 0) {
      done = true;
    }
    return t;
  }

  private Token open(boolean object) {
    if (depth == stack.length) {
      stack = java.util.Arrays.copyOf(stack, depth * 2);
    }
    stack[depth++] = object;
    return object ? Token.START_OBJECT : Token.START_ARRAY;
  }

  private Token close() {
    boolean object = stack[--depth];
    if (depth == 0) {
      done = true;
    }
    return object ? Token.END_OBJECT : Token.END_ARRAY;
  }

  private void literal(String word) throws SyntaxError {
    for (int i = 0; i < word.length(); i++) {
      if (pos + i >= in.length || in[pos + i] != word.charAt(i)) {
        throw error("expected '" + word + "'");
      }
    }
    pos += word.length();
  }

  private void number() throws SyntaxError {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw error("a number may not start with 0");
      }
    } else if (!digits()) {
      throw error("expected a digit but found " + describe(peek()));
    }
    integer = true;
    if (peek() == '.') {
      pos++;
      integer = false;
      if (!digits()) {
        throw error("expected a digit after '.' but found " + describe(peek()));
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      integer = false;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!digits()) {
        throw error("expected a digit in the exponent but found " + describe(peek()));
      }
    }
    text = new String(in, start, pos - start, StandardCharsets.US_ASCII);
  }

  private boolean digits() {
    int start = pos;
    while (isDigit(peek())) {
      pos++;
    }
    return pos > start;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** The string after the opening quote; leaves pos after the closing one. */
  private String string() throws SyntaxError {
    int start = pos;
    while (pos < in.length && in[pos] != '"' && in[pos] != '\\' && (in[pos] & 0xff) >= 0x20) {
      pos++;
    }
    if (pos < in.length && in[pos] == '"') {
      return new String(in, start, pos++ - start, StandardCharsets.UTF_8);
    }
    // escapes: decode the run so far, then char by char
    java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
    raw.write(in, start, pos - start);
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= in.length) {
        throw error("the document ends inside a string");
      }
      int b = in[pos] & 0xff;
      if (b == '"') {
        pos++;
        out.append(raw.toString(StandardCharsets.UTF_8));
        return out.toString();
      }
      if (b < 0x20) {
        throw error("a control character (code " + b + ") in a string must be escaped");
      }
      if (b != '\\') {
        raw.write(b);
        pos++;
        continue;
      }
      out.append(raw.toString(StandardCharsets.UTF_8));
      raw.reset();
      pos++;
      int e = pos < in.length ? in[pos++] & 0xff : -1;
      switch (e) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case '/' -> out.append('/');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(hex4());
        default -> {
          pos--;
          throw error("unknown escape \\" + (e < 0 ? "" : String.valueOf((char) e)) + " in a string");
        }
      }
    }
  }

  private char hex4() throws SyntaxError {
    if (pos + 4 > in.length) {
      throw error("\\u needs four hex digits");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(in[pos + i], 16);
      if (d < 0) {
        throw error("\\u needs four hex digits");
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private void skipSpace() {
    while (pos < in.length) {
      byte b = in[pos];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return;
      }
      pos++;
    }
  }

  private int peek() {
    return pos < in.length ? in[pos] & 0xff : -1;
  }

  private static String describe(int c) {
    return c < 0 ? "the end of the document" : c < 0x20 || c >= 0x7f ? "byte " + c : "'" + (char) c + "'";
  }
}
