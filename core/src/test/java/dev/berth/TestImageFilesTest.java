package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testimages.TestImages;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test images as core's tests get them (built from the recipes inside the test-images jar in
 * a full build): every authored file keeps the mode and owner its recipe gives it. A postgres
 * image whose entrypoint lost its execute bit once passed CI only because of a stale cache.
 */
class TestImageFilesTest {
  static List<String> images() {
    return TestImages.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void authoredFiles_inTheBuiltImage_keepTheirModesAndOwners(String image) {
    assertThat(TestImages.authoredFileProblems(image)).isEmpty();
  }
}
