package dev.berth.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AccessorNamesTest {
  /** Every kind of element value in one place: arrays, enums, classes, nested annotations, numbers. */
  record Annotated(
      @JsonProperty("Renamed") @JsonInclude(JsonInclude.Include.NON_EMPTY) String renamed,
      @JsonProperty String unnamed,
      @JsonProperty(value = "Both", index = 3, defaultValue = "d", access = JsonProperty.Access.READ_ONLY) int both,
      @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "p", with = {JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY},
          lenient = com.fasterxml.jackson.annotation.OptBoolean.TRUE) long plain,
      @JsonDeserialize(contentAs = String.class) @JsonProperty("Last") List<String> last,
      @com.fasterxml.jackson.annotation.JsonPropertyDescription("a value, not a name") double wide) {
    /** Constants that take two entries of the constant pool each. */
    static double wider() {
      return 1234567890123L * 3.25;
    }
  }

  @Test
  void of_aRecordWithEveryKindOfElementValue_givesTheJsonPropertyValues() {
    assertThat(AccessorNames.of(Annotated.class)).as("a @JsonProperty without a value names nothing")
        .isEqualTo(Map.of("renamed", "Renamed", "both", "Both", "last", "Last"));
  }

  @Test
  void of_everyRecordOfBerthsMainCode_agreesWithReflection_andIsJsonNamedWhenItNamesOne() throws Exception {
    Path classes = Path.of(RecordJson.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> records = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (name.equals("module-info")) {
          continue;
        }
        Class<?> c = Class.forName(name, false, RecordJson.class.getClassLoader());
        if (c.isRecord()) {
          records.add(c);
        }
      }
    }
    assertThat(records).as("records in " + classes).hasSizeGreaterThan(50);
    int named = 0;
    for (Class<?> r : records) {
      Map<String, String> fromClassFile = AccessorNames.of(r);
      assertThat(fromClassFile).as(r.getName()).isNotNull();
      int namedHere = 0;
      for (RecordComponent c : r.getRecordComponents()) {
        Method accessor = c.getAccessor();
        JsonProperty p = accessor.getAnnotation(JsonProperty.class);
        String reflected = p != null && !p.value().isEmpty() ? p.value() : c.getName();
        String read = fromClassFile.getOrDefault(c.getName(), "");
        assertThat(read.isEmpty() ? c.getName() : read).as(r.getName() + "." + c.getName()).isEqualTo(reflected);
        namedHere += reflected.equals(c.getName()) ? 0 : 1;
      }
      // RecordJson reads the class file of a JsonNamed record only: each one with a name is one
      assertThat(JsonNamed.class.isAssignableFrom(r)).as(r.getName() + " is JsonNamed").isEqualTo(namedHere > 0);
      named += namedHere;
    }
    assertThat(named).as("the image config's names among them").isGreaterThan(20);
  }

  @Test
  void of_aClassWithoutItsClassFile_isNull() {
    assertThat(AccessorNames.of(int[].class)).isNull();
  }
}
