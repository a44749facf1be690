package dev.berth.internal.runtime;

import java.util.List;

/**
 * How a container's ids map to the host's: the user namespace's uid_map and gid_map.
 *
 * @param kind which of the three setups this is
 * @param uids uid map lines, empty for {@link Kind#HOST}
 * @param gids gid map lines, empty for {@link Kind#HOST}
 */
public record IdMapping(Kind kind, List<Range> uids, List<Range> gids) {
  /** The largest range mapped to subordinate ids, as podman does: ids 1 to 65536. */
  public static final long SUBORDINATE_IDS = 65536;

  /** The three setups. */
  public enum Kind {
    /** Root: no user namespace, container ids are host ids. */
    HOST,
    /** Unprivileged without subordinate ids: only the caller's own uid and gid, as 0. */
    SINGLE,
    /** Unprivileged with subordinate ids: the caller as 0, its /etc/subuid range as 1..N. */
    FULL_RANGE
  }

  /** One map line: container ids {@code inside..inside+count-1} are host ids from {@code outside}. */
  public record Range(long inside, long outside, long count) {
    public Range {
      if (inside < 0 || outside < 0 || count < 1) {
        throw new IllegalArgumentException("id range " + inside + " " + outside + " " + count + " is not valid");
      }
    }

    /** @return as in /proc/PID/uid_map: {@code inside outside count} */
    @Override
    public String toString() {
      return inside + " " + outside + " " + count;
    }
  }

  public IdMapping {
    uids = List.copyOf(uids);
    gids = List.copyOf(gids);
    if ((kind == Kind.HOST) != uids.isEmpty() || uids.isEmpty() != gids.isEmpty()) {
      throw new IllegalArgumentException("a " + kind + " id mapping has " + uids.size() + " uid and " + gids.size() + " gid ranges");
    }
  }

  /** @return root's mapping: none */
  public static IdMapping host() {
    return new IdMapping(Kind.HOST, List.of(), List.of());
  }

  /** @return the caller's uid and gid as 0, nothing else */
  public static IdMapping single(long uid, long gid) {
    return new IdMapping(Kind.SINGLE, List.of(new Range(0, uid, 1)), List.of(new Range(0, gid, 1)));
  }

  /** @return the caller as 0 and up to {@link #SUBORDINATE_IDS} subordinate ids as 1..N */
  public static IdMapping fullRange(long uid, long gid, SubIds.Range subuids, SubIds.Range subgids) {
    return new IdMapping(Kind.FULL_RANGE,
        List.of(new Range(0, uid, 1), new Range(1, subuids.start(), Math.min(SUBORDINATE_IDS, subuids.count()))),
        List.of(new Range(0, gid, 1), new Range(1, subgids.start(), Math.min(SUBORDINATE_IDS, subgids.count()))));
  }

  /** @return the host uid of container uid {@code inside}; an id the map lacks goes to the caller's (container 0) */
  public int hostUid(int inside) {
    return toHost(uids, inside);
  }

  /** @return the host gid of container gid {@code inside}; an id the map lacks goes to the caller's */
  public int hostGid(int inside) {
    return toHost(gids, inside);
  }

  /** @return whether container uid {@code inside} exists in the namespace (always, without one) */
  public boolean hasUid(int inside) {
    return covers(uids, inside);
  }

  /** @return whether container gid {@code inside} exists in the namespace (always, without one) */
  public boolean hasGid(int inside) {
    return covers(gids, inside);
  }

  private static boolean covers(List<Range> ranges, int inside) {
    return ranges.isEmpty() || ranges.stream().anyMatch(r -> inside >= r.inside() && inside - r.inside() < r.count());
  }

  private static int toHost(List<Range> ranges, int inside) {
    if (ranges.isEmpty()) {
      return inside;
    }
    for (Range r : ranges) {
      if (inside >= r.inside() && inside - r.inside() < r.count()) {
        return (int) (r.outside() + inside - r.inside());
      }
    }
    return (int) ranges.get(0).outside(); // squashed: the range 0 is the caller's own id
  }

  @Override
  public String toString() {
    return switch (kind) {
      case HOST -> "host ids (no user namespace)";
      case SINGLE -> "single id: uid " + uids.get(0).outside() + " and gid " + gids.get(0).outside()
          + " as 0, every other owner squashed to them";
      case FULL_RANGE -> "full range: uids " + uids + ", gids " + gids;
    };
  }
}
