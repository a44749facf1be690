package dev.berth;

/**
 * The default engine's containers, as {@code docker ps}: the same from every JVM sharing its
 * BERTH_HOME.
 *
 * <pre>{@code
 * Containers.list(true);   // prints the docker ps -a table in JShell
 * }</pre>
 */
public final class Containers {
  private Containers() {}

  /**
   * @param all include containers that are not running ({@code ps -a})
   * @return the containers, newest first; its {@code toString()} is the {@code ps} table
   */
  public static ContainerList list(boolean all) {
    return Berth.defaultEngine().containers(all);
  }

  /**
   * Finds a container by name, full id or unique id prefix.
   *
   * @param idOrName a container name, full id or unique id prefix
   * @return the container, running or not
   * @throws BerthException {@code No such container} when none matches
   */
  public static Container get(String idOrName) {
    return Berth.defaultEngine().container(idOrName);
  }

  /**
   * Removes every stopped container, as {@code docker container prune}.
   *
   * @return the ids removed
   */
  public static java.util.List<String> prune() {
    return Berth.defaultEngine().pruneContainers();
  }
}
