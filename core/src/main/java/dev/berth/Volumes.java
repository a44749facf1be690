package dev.berth;

import java.util.List;

/**
 * The default engine's volumes, as {@code docker volume}: the same from every JVM sharing its
 * BERTH_HOME.
 *
 * <pre>{@code
 * Volumes.create("pgdata");
 * Image.pull("postgres").run(RunOptions.builder()
 *     .volume("pgdata", "/var/lib/postgresql/data").detach(true).build());
 * Volumes.list();              // pgdata, and the anonymous volumes of image VOLUMEs
 * Volumes.remove("pgdata", false);   // refused while a container uses it
 * }</pre>
 */
public final class Volumes {
  private Volumes() {}

  /** @see Berth#createVolume(String) */
  public static VolumeInfo create(String name) {
    return Berth.defaultEngine().createVolume(name);
  }

  /** @see Berth#volumes() */
  public static List<VolumeInfo> list() {
    return Berth.defaultEngine().volumes();
  }

  /** @see Berth#removeVolume(String, boolean) */
  public static void remove(String name, boolean force) {
    Berth.defaultEngine().removeVolume(name, force);
  }

  /** @see Berth#pruneVolumes() */
  public static List<String> prune() {
    return Berth.defaultEngine().pruneVolumes();
  }
}
