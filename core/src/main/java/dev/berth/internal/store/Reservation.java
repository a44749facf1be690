package dev.berth.internal.store;

import dev.berth.Digest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Digests held from garbage collection by one operation of a {@link Store}; more may be added
 * while it runs. See {@link Store}'s class comment for the rule.
 */
public final class Reservation implements AutoCloseable {
  private final StoreGarbage garbage;
  private final List<Digest> held = new ArrayList<>();

  Reservation(StoreGarbage garbage) {
    this.garbage = garbage;
  }

  /** Adds digests; call before looking at whether they are stored. */
  public void addAll(Collection<Digest> digests) {
    garbage.hold(digests);
    synchronized (held) {
      held.addAll(digests);
    }
  }

  @Override
  public void close() {
    List<Digest> released;
    synchronized (held) {
      released = List.copyOf(held);
      held.clear();
    }
    garbage.release(released);
  }
}
