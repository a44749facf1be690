package dev.berth.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProcessTableTest {

  @Test
  void tty_decodesDeviceNumbersAsPs() {
    assertThat(ProcessTable.tty(0)).isEqualTo("?");
    assertThat(ProcessTable.tty(136 << 8 | 3)).isEqualTo("pts/3");
    assertThat(ProcessTable.tty(137 << 8 | 1)).isEqualTo("pts/257");
    assertThat(ProcessTable.tty(4 << 8 | 1)).isEqualTo("tty1");
  }

  @Test
  void cpuTime_isHoursMinutesSeconds_withDaysPastOne() {
    assertThat(ProcessTable.cpuTime(0)).isEqualTo("00:00:00");
    assertThat(ProcessTable.cpuTime(3723)).isEqualTo("01:02:03");
    assertThat(ProcessTable.cpuTime(90_000)).isEqualTo("1-01:00:00");
  }

  @Test
  void command_joinsArgvWithSpaces_orBracketsTheNameWithoutOne() {
    assertThat(ProcessTable.command("sh\0-c\0echo hi\0".getBytes(StandardCharsets.UTF_8), "sh"))
        .isEqualTo("sh -c echo hi");
    assertThat(ProcessTable.command(new byte[0], "kworker/0:1")).isEqualTo("[kworker/0:1]");
  }
}
