package dev.berth.internal.manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immutable, order-keeping copies for the records' compact constructors: JSON omits empty
 * collections or writes {@code null}, and a document's order should survive being read.
 */
final class Copies {
  private Copies() {}

  static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }

  static <T> Set<T> set(Set<T> set) {
    return set == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(set));
  }

  static <K, V> Map<K, V> map(Map<K, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
