package dev.berth;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A volume, as {@code docker volume ls}/{@code inspect} show it.
 *
 * @param name its name (64 hex characters for an anonymous volume)
 * @param mountpoint the host directory holding its files ({@code BERTH_HOME/volumes/<name>/_data})
 * @param created when it was created
 * @param labels its labels
 */
public record VolumeInfo(String name, Path mountpoint, Instant created,
    Map<String, String> labels) {
  /**
   * Checks that name, mount point and creation time are there, and copies the labels.
   *
   * @param name its name (64 hex characters for an anonymous volume)
   * @param mountpoint the host directory holding its files ({@code BERTH_HOME/volumes/<name>/_data})
   * @param created when it was created
   * @param labels its labels
   */
  public VolumeInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mountpoint, "mountpoint");
    Objects.requireNonNull(created, "created");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  @Override
  public String toString() {
    return "local     " + name;
  }
}
