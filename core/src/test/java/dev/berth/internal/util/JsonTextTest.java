package dev.berth.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * JsonReader and JsonWriter against Jackson's streaming parser and generator, the reference they
 * replace on the container path: the same tokens for the same text, the same bytes for the same
 * document (compact, and indented as INDENT_OUTPUT), over 400 random documents and the corners.
 */
class JsonTextTest {
  private static final JsonFactory JACKSON = new JsonFactory();
  private static final String[] STRINGS = {"", "a", "sha256:" + "a".repeat(64), "quote\" back\\slash /",
      "ctl \u0000\u0001\b\t\n\u000b\f\r\u001f\u007f end", "é ü 漢字 😀", "\ud83d\ude00", "k=v"};

  @Test
  void randomDocuments_readAsJacksonReadsThem_andWriteAsItWrites() throws Exception {
    Random random = new Random(17);
    for (int i = 0; i < 400; i++) {
      List<Object[]> events = new ArrayList<>();
      document(random, 0, events);
      for (boolean indented : new boolean[] {false, true}) {
        byte[] ours = write(events, indented);
        byte[] theirs = jacksonWrite(events, indented);
        assertThat(new String(ours, StandardCharsets.UTF_8)).isEqualTo(new String(theirs, StandardCharsets.UTF_8));
        assertThat(tokens(ours)).isEqualTo(jacksonTokens(ours));
      }
    }
  }

  @Test
  void corners_readAsJacksonReadsThem() throws Exception {
    for (String doc : List.of("{}", "[]", "[ ]", "{ }", " {\"a\" : [1, -0, 0.5, -2e3, 1E+2, 3.25e-1]} ",
        "\"top\"", "12", "-7", "true", "null", "[[[[]]],{}]", "{\"a\":{\"b\":{\"c\":[null,false]}}}",
        "[\"\\u00e9\\ud83d\\ude00\\n\\/\\\"\"]", "{\"\":1}", "[18446744073709551615, 9223372036854775807]",
        "\t\r\n[1]\n")) {
      byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
      assertThat(tokens(bytes)).as(doc).isEqualTo(jacksonTokens(bytes));
    }
  }

  @Test
  void malformed_isASyntaxErrorSayingWhere() {
    for (String bad : List.of("", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[01]", "[1.]",
        "[-]", "[1e]", "[tru]", "[nul]", "\"ab", "[\"a\u0001\"]", "[\"\\x\"]", "[\"\\u12\"]", "{\"a\":}",
        "[1 2]", "}", "[1}", "{\"a\":1]", "[.5]", "[+1]", "//c\n1", "[1]/*c*/")) {
      assertThatThrownBy(() -> {
        JsonReader r = new JsonReader(bad.getBytes(StandardCharsets.UTF_8));
        while (r.next() != JsonReader.Token.END) {
          // read it all
        }
        r.expectEnd();
      }).as(bad).isInstanceOf(JsonReader.SyntaxError.class).hasMessageContaining("(at line ");
    }
  }

  @Test
  void syntaxError_namesLineAndColumn() throws Exception {
    JsonReader r = new JsonReader("{\n  \"a\": [1,\n  ]}".getBytes(StandardCharsets.UTF_8));
    r.next();
    r.next();
    r.next();
    r.next();
    assertThatThrownBy(r::next).hasMessage("expected a value but found ']' (at line 3, column 3)");
  }

  @Test
  void skipValue_skipsAWholeContainer() throws Exception {
    JsonReader r = new JsonReader("{\"a\":[1,{\"b\":[2]}],\"c\":3}".getBytes(StandardCharsets.UTF_8));
    r.next();
    r.next();
    r.next();
    r.skipValue();
    assertThat(r.next()).isEqualTo(JsonReader.Token.FIELD_NAME);
    assertThat(r.text()).isEqualTo("c");
    assertThat(r.next()).isEqualTo(JsonReader.Token.NUMBER);
    assertThat(r.longValue()).isEqualTo(3);
    assertThat(r.next()).isEqualTo(JsonReader.Token.END_OBJECT);
    assertThat(r.next()).isEqualTo(JsonReader.Token.END);
  }

  @Test
  void numbers_outOfRange_areErrors() throws Exception {
    JsonReader r = new JsonReader("[9223372036854775808]".getBytes(StandardCharsets.UTF_8));
    r.next();
    r.next();
    assertThat(r.bigIntegerValue()).isEqualTo(new BigInteger("9223372036854775808"));
    assertThatThrownBy(r::longValue).hasMessageContaining("does not fit 64 bits");
    assertThatThrownBy(r::intValue).hasMessageContaining("does not fit 32 bits");
  }

  /** A random document as generator events: {op, arg}. */
  private static void document(Random random, int depth, List<Object[]> events) {
    int kind = depth > 4 ? 2 + random.nextInt(6) : random.nextInt(8);
    switch (kind) {
      case 0 -> {
        events.add(new Object[] {"{"});
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          events.add(new Object[] {"name", STRINGS[random.nextInt(STRINGS.length)] + i});
          document(random, depth + 1, events);
        }
        events.add(new Object[] {"}"});
      }
      case 1 -> {
        events.add(new Object[] {"["});
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          document(random, depth + 1, events);
        }
        events.add(new Object[] {"]"});
      }
      case 2, 3 -> events.add(new Object[] {"string", STRINGS[random.nextInt(STRINGS.length)]});
      case 4 -> events.add(new Object[] {"number", random.nextBoolean() ? (Object) random.nextLong()
          : (Object) random.nextInt(1000)});
      case 5 -> events.add(new Object[] {"number", random.nextInt(3) == 0 ? (Object) BigInteger.TWO.pow(70)
          : (Object) (random.nextInt(2000) / 8.0)});
      case 6 -> events.add(new Object[] {"bool", random.nextBoolean()});
      default -> events.add(new Object[] {"null"});
    }
  }

  private static byte[] write(List<Object[]> events, boolean indented) {
    JsonWriter w = new JsonWriter(indented);
    for (Object[] e : events) {
      switch ((String) e[0]) {
        case "{" -> w.startObject();
        case "}" -> w.endObject();
        case "[" -> w.startArray();
        case "]" -> w.endArray();
        case "name" -> w.name((String) e[1]);
        case "string" -> w.value((String) e[1]);
        case "number" -> w.value((Number) e[1]);
        case "bool" -> w.value((Boolean) e[1]);
        default -> w.nullValue();
      }
    }
    return w.toByteArray();
  }

  private static byte[] jacksonWrite(List<Object[]> events, boolean indented) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JACKSON.createGenerator(out)) {
      if (indented) {
        g.setPrettyPrinter(new DefaultPrettyPrinter());
      }
      for (Object[] e : events) {
        switch ((String) e[0]) {
          case "{" -> g.writeStartObject();
          case "}" -> g.writeEndObject();
          case "[" -> g.writeStartArray();
          case "]" -> g.writeEndArray();
          case "name" -> g.writeFieldName((String) e[1]);
          case "string" -> g.writeString((String) e[1]);
          case "number" -> {
            if (e[1] instanceof Long l) g.writeNumber(l);
            else if (e[1] instanceof Integer n) g.writeNumber(n);
            else if (e[1] instanceof BigInteger b) g.writeNumber(b);
            else g.writeNumber((Double) e[1]);
          }
          case "bool" -> g.writeBoolean((Boolean) e[1]);
          default -> g.writeNull();
        }
      }
    }
    return out.toByteArray();
  }

  private static List<String> tokens(byte[] doc) throws Exception {
    List<String> out = new ArrayList<>();
    JsonReader r = new JsonReader(doc);
    for (JsonReader.Token t = r.next(); t != JsonReader.Token.END; t = r.next()) {
      out.add(switch (t) {
        case FIELD_NAME -> "name:" + r.text();
        case STRING -> "string:" + r.text();
        case NUMBER -> (r.isInteger() ? "int:" + r.bigIntegerValue() : "float:" + r.doubleValue());
        default -> t.name();
      });
    }
    r.expectEnd();
    return out;
  }

  private static List<String> jacksonTokens(byte[] doc) throws Exception {
    List<String> out = new ArrayList<>();
    try (JsonParser p = JACKSON.createParser(doc)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        out.add(switch (t) {
          case FIELD_NAME -> "name:" + p.getText();
          case VALUE_STRING -> "string:" + p.getText();
          case VALUE_NUMBER_INT -> "int:" + p.getBigIntegerValue();
          case VALUE_NUMBER_FLOAT -> "float:" + p.getDoubleValue();
          case START_OBJECT -> "START_OBJECT";
          case END_OBJECT -> "END_OBJECT";
          case START_ARRAY -> "START_ARRAY";
          case END_ARRAY -> "END_ARRAY";
          case VALUE_TRUE -> "TRUE";
          case VALUE_FALSE -> "FALSE";
          default -> "NULL";
        });
      }
    }
    return out;
  }
}
