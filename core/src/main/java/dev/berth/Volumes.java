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

  /**
   * @param name the volume's name
   * @return the volume, new or existing
   * @see Berth#createVolume(String)
   */
  public static VolumeInfo create(String name) {
    return Berth.defaultEngine().createVolume(name);
  }

  /**
   * @return the volumes of the default engine
   * @see Berth#volumes()
   */
  public static List<VolumeInfo> list() {
    return Berth.defaultEngine().volumes();
  }

  /**
   * @param name the volume's name
   * @param force remove it even while a container uses it
   * @see Berth#removeVolume(String, boolean)
   */
  public static void remove(String name, boolean force) {
    Berth.defaultEngine().removeVolume(name, force);
  }

  /**
   * @return the names of the removed volumes
   * @see Berth#pruneVolumes()
   */
  public static List<String> prune() {
    return Berth.defaultEngine().pruneVolumes();
  }
}
