package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.BerthException;
import dev.berth.PortMapping;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PortsFileTest {
  private static final Path FILE = Path.of("/c/ports");

  @Test
  void parse_helperLine_isAPortMapping() {
    assertThat(PortsFile.parse(FILE, "udp 127.0.0.1 32768 53")).isEqualTo(new PortMapping("127.0.0.1", 32768, 53, "udp"));
  }

  @Test
  void parse_malformedLine_namesTheLineAndTheFile() {
    assertThatThrownBy(() -> PortsFile.parse(FILE, "tcp 127.0.0.1 x 80")).isInstanceOf(BerthException.class)
        .hasMessageContaining("\"tcp 127.0.0.1 x 80\" of /c/ports");
  }

  @Test
  void read_missingFile_saysTheHelperWroteNone() {
    assertThatThrownBy(() -> PortsFile.read(Path.of("/nonexistent/ports"))).isInstanceOf(BerthException.class)
        .hasMessageContaining("wrote no ports file");
  }
}
