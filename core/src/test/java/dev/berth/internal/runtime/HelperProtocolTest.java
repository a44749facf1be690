package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The numbers and words in src/main/c/protocol.h and HelperProtocol must agree. */
class HelperProtocolTest {
  private static final Path HEADER = Path.of("src/main/c/protocol.h");

  private static String header() throws IOException {
    return Files.readString(HEADER);
  }

  private static String define(String name) throws IOException {
    Matcher m = Pattern.compile("#define " + name + " (\\S+)").matcher(header());
    assertThat(m.find()).as("#define %s in %s", name, HEADER).isTrue();
    return m.group(1);
  }

  @Test
  void stages_matchTheHeader() throws IOException {
    Matcher m = Pattern.compile("X\\(STAGE_(\\w+), (\\d+), \"(\\w+)\"\\)").matcher(header());
    Map<String, String> inHeader = new LinkedHashMap<>();
    while (m.find()) inHeader.put(m.group(1), m.group(2) + " " + m.group(3));
    Map<String, String> inJava = Arrays.stream(HelperProtocol.Stage.values())
        .collect(Collectors.toMap(Enum::name, s -> s.number + " " + s.word, (a, b) -> a, LinkedHashMap::new));
    assertThat(inJava).isEqualTo(inHeader);
  }

  @Test
  void exitCodes_matchTheHeader() throws IOException {
    assertThat(Integer.parseInt(define("BERTH_EXIT_SETUP_FAILED"))).isEqualTo(HelperProtocol.EXIT_SETUP_FAILED);
    assertThat(Integer.parseInt(define("BERTH_EXIT_CANNOT_INVOKE"))).isEqualTo(HelperProtocol.EXIT_CANNOT_INVOKE);
    assertThat(Integer.parseInt(define("BERTH_EXIT_NOT_FOUND"))).isEqualTo(HelperProtocol.EXIT_NOT_FOUND);
  }

  @Test
  void controlSocketWords_matchTheHeader() throws IOException {
    assertThat(define("BERTH_CTL_SOCKET")).isEqualTo("\"" + HelperProtocol.CTL_SOCKET + "\"");
    assertThat(define("BERTH_CTL_OK")).isEqualTo("\"" + HelperProtocol.CTL_OK + "\"");
    assertThat(define("BERTH_CTL_ERROR")).isEqualTo("\"" + HelperProtocol.CTL_ERROR + "\"");
  }

  @Test
  void statusMagicAndConfigVersion_matchTheHeader() throws IOException {
    assertThat(define("BERTH_STATUS_MAGIC")).isEqualTo("\"" + HelperProtocol.STATUS_MAGIC + "\"");
    assertThat(define("BERTH_STATUS_DONE")).isEqualTo("\"" + HelperProtocol.STATUS_DONE + "\"");
    assertThat(define("BERTH_STATUS_READY")).isEqualTo("\"" + HelperProtocol.STATUS_READY + "\"");
    assertThat(Integer.parseInt(define("BERTH_CONFIG_VERSION"))).isEqualTo(HelperProtocol.CONFIG_VERSION);
  }
}
