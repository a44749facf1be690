package dev.berth.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Digest;
import dev.berth.internal.store.Store;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
  record Inner(int port, String proto) {
    Inner {
      if (port < 0) throw new IllegalArgumentException("port " + port + " is negative");
    }
  }

  record Outer(String name, long size, double cpus, boolean on, Integer code, BigInteger bits,
      Digest digest, List<Inner> inners, Map<String, String> labels, Set<String> ports) {}

  private static Outer read(String json) throws Exception {
    return RecordJson.read(json.getBytes(StandardCharsets.UTF_8), Outer.class);
  }

  @Test
  void read_everyKindOfValue() throws Exception {
    Outer o = read("""
        {"name": "n", "size": 9007199254740993, "cpus": 1.5, "on": true, "code": 3,
         "bits": 18446744073709551615, "digest": "sha256:%s",
         "inners": [{"port": 80, "proto": "tcp"}], "labels": {"b": "2", "a": "1"},
         "ports": {"80/tcp": {}, "53/udp": {"x": [1]}}}
        """.formatted("a".repeat(64)));

    assertThat(o).isEqualTo(new Outer("n", 9007199254740993L, 1.5, true, 3,
        new BigInteger("18446744073709551615"), Digest.sha256("a".repeat(64)),
        List.of(new Inner(80, "tcp")), Map.of("b", "2", "a", "1"), Set.of("80/tcp", "53/udp")));
    assertThat(o.labels().keySet()).containsExactly("b", "a");
    assertThat(o.ports()).containsExactly("80/tcp", "53/udp");
  }

  @Test
  void read_missingAndNullFields_areNullOrZero_unknownOnesAreSkipped() throws Exception {
    Outer o = read("{\"size\": null, \"code\": null, \"later\": {\"a\": [1, {\"b\": null}]}, \"on\": false}");

    assertThat(o).isEqualTo(new Outer(null, 0, 0, false, null, null, null, null, null, null));
  }

  @Test
  void read_aValueOfAnotherType_namesItsPath() {
    assertThatThrownBy(() -> read("{\"inners\": [{\"port\": 1}, {\"port\": \"80\"}]}"))
        .isInstanceOf(RecordJson.WrongType.class)
        .hasMessageContaining("expected an integer for inners[1].port but found a string")
        .hasMessageContaining("(at line 1, column ");
    assertThatThrownBy(() -> read("{\"name\": 5}"))
        .hasMessageContaining("expected a string for name but found a number");
    assertThatThrownBy(() -> read("{\"size\": 1.5}"))
        .hasMessageContaining("expected an integer for size but found a number");
    assertThatThrownBy(() -> read("{\"ports\": [\"80/tcp\"]}"))
        .hasMessageContaining("expected an object for ports but found an array");
    assertThatThrownBy(() -> read("[]"))
        .hasMessageContaining("expected an object for the document but found an array");
    assertThatThrownBy(() -> read(""))
        .isInstanceOf(JsonReader.SyntaxError.class)
        .hasMessageContaining("expected a value but found the end of the document");
  }

  @Test
  void read_aValueTheRecordRefuses_givesItsMessageAndPath() {
    assertThatThrownBy(() -> read("{\"inners\": [{\"port\": -1}]}"))
        .isInstanceOf(RecordJson.WrongType.class)
        .hasMessageContaining("inners[0]: port -1 is negative");
    assertThatThrownBy(() -> read("{\"digest\": \"md5:x\"}"))
        .isInstanceOf(RecordJson.WrongType.class)
        .hasMessageStartingWith("digest: ");
  }

  @Test
  void read_brokenJson_isAParseError() {
    assertThatThrownBy(() -> read("{\"name\": \"n\""))
        .isInstanceOf(JsonReader.SyntaxError.class);
    assertThatThrownBy(() -> read("{name: 1}")).isInstanceOf(JsonReader.SyntaxError.class)
        .hasMessage("expected a field name but found 'n' (at line 1, column 2)");
  }

  @Test
  void write_thenRead_givesTheRecordBack() throws Exception {
    Outer o = new Outer("n", -1, 0.25, true, null, BigInteger.TWO.pow(70),
        Digest.sha256("b".repeat(64)), List.of(new Inner(1, null)), Map.of("k", "v"), null);

    assertThat(RecordJson.read(RecordJson.write(o, false), Outer.class)).isEqualTo(o);
    assertThat(new String(RecordJson.write(new Inner(1, "x"), false), StandardCharsets.UTF_8))
        .isEqualTo("{\"port\":1,\"proto\":\"x\"}");
  }

  /** Files written before the streaming records were written by the binding: the same bytes. */
  @Test
  void write_indented_isWhatTheDataBindingWrites() throws Exception {
    Store.LayerMeta meta = new Store.LayerMeta("sha256:" + "c".repeat(64), "sha256:" + "d".repeat(64),
        null, 1234, "plain");
    byte[] written = RecordJson.write(meta, true);

    assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(Json.INDENTED.writeValueAsString(meta));
    assertThat(RecordJson.read(written, Store.LayerMeta.class)).isEqualTo(meta);
  }
}
