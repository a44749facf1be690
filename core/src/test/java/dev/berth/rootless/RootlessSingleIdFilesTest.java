package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * As a user without subordinate ids ({@link RootlessRun#SINGLE_USER}): new volumes are filled
 * from the image (every owner root inside, as in the container's root) and stopped containers
 * take copies through a view job that maps the user alone ({@link RootlessSingleIdFilesScenarioMain}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootlessSingleIdFilesTest {
  @AutoClose private RootlessRun run;
  private Map<String, String> said;

  @BeforeAll
  void runScenarioWithASingleId() throws Exception {
    run = RootlessRun.startSingle(RootlessSingleIdFilesScenarioMain.class);
    said = run.said();
  }

  @Test
  void setup_isTheSingleId() {
    assertThat(said.get("info.userNamespace")).isEqualTo("SINGLE");
  }

  @Test
  void newVolume_isFilledWithTheImagesFiles_ownedByRootInside() {
    assertThat(said.get("volume.first")).isEqualTo("0:0 755");
    assertThat(said.get("volume.second")).isEqualTo("kept");
    assertThat(said.get("volume.node")).isEqualTo("2775\n/var/lib/dpkg/status");
  }

  @Test
  void stoppedContainer_takesCopiesInAndOut() {
    assertThat(said.get("copy.from")).isEqualTo("made inside");
    assertThat(said.get("copy.roundTrip")).isEqualTo("from the host");
  }

  @Test
  void stoppedContainer_dotDot_doesNotLeadTheCopyOut() {
    assertThat(said.get("copy.dotDotTo")).startsWith("refused: ");
    assertThat(said.get("copy.dotDotToHost")).isEqualTo("false");
  }
}
