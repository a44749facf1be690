package dev.berth;

import dev.berth.internal.runtime.PsTable;
import java.time.Instant;
import java.util.AbstractList;
import java.util.List;

/**
 * An immutable list of containers whose {@code toString()} is the {@code docker ps -a} table,
 * so that {@code Containers.list(true)} reads well in JShell.
 */
public final class ContainerList extends AbstractList<ContainerInfo> {
  private final List<ContainerInfo> containers;

  /** @param containers the containers, newest first */
  public ContainerList(List<ContainerInfo> containers) {
    this.containers = List.copyOf(containers);
  }

  @Override
  public ContainerInfo get(int index) {
    return containers.get(index);
  }

  @Override
  public int size() {
    return containers.size();
  }

  /** @return the {@code docker ps -a} table of these containers */
  @Override
  public String toString() {
    return PsTable.render(containers, Instant.now());
  }
}
