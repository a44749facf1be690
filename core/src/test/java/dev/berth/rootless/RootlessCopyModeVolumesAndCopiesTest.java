package dev.berth.rootless;

import java.util.Map;

/**
 * {@link RootlessVolumesAndCopiesTest} with the root file system forced to a copy of the layers
 * (BERTH_ROOTFS=copy): volumes are filled from the layers and their owners files, and a stopped
 * container's copies use its copied root.
 */
class RootlessCopyModeVolumesAndCopiesTest extends RootlessVolumesAndCopiesTest {
  @Override
  Map<String, String> env() {
    return Map.of("BERTH_ROOTFS", "copy");
  }
}
