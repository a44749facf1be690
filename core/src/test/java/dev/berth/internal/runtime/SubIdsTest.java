package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubIdsTest {
  @Test
  void find_byName_takesTheFirstRange() {
    assertThat(SubIds.find(List.of("other:1:2", "alice:100000:65536", "alice:300000:10"), "alice", 1001))
        .contains(new SubIds.Range(100000, 65536));
  }

  @Test
  void find_byNumericUid_matches() {
    assertThat(SubIds.find(List.of("1001:200000:65536"), "alice", 1001)).contains(new SubIds.Range(200000, 65536));
  }

  @Test
  void find_malformedLines_areSkipped() {
    assertThat(SubIds.find(List.of("alice:x:65536", "alice:100000", "alice:0:5", "alice:5:0", "alice:7:9"), "alice", 1))
        .contains(new SubIds.Range(7, 9));
  }

  @Test
  void find_noEntry_isEmpty() {
    assertThat(SubIds.find(List.of("bob:100000:65536"), "alice", 1001)).isEmpty();
  }

  @Test
  void find_unreadableFile_isEmpty() {
    assertThat(SubIds.find(Path.of("/nonexistent/subuid"), "alice", 1001)).isEmpty();
  }
}
