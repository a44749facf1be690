package dev.berth.internal.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this host's cgroups look like to this process, and where Berth puts its own: the one
 * place that knows the layout. Get one from {@link Cgroups#detect()}.
 *
 * <pre>
 * v1: &lt;controller mount&gt;/berth/&lt;id&gt;  one dir per hierarchy of a controller Berth uses
 * v2: &lt;v2Parent&gt;/&lt;id&gt;                 v2Parent is &lt;mount&gt;/berth for root, or
 *                                  &lt;delegated cgroup&gt;/berth without root
 * </pre>
 *
 * @param version which hierarchies are mounted
 * @param v1Mounts controller name to the mount point of its v1 hierarchy
 * @param unifiedMount the mount point of the cgroup2 hierarchy, if mounted
 * @param v2Parent the cgroup2 dir under which Berth may create container cgroups; empty when this
 *     process may not
 * @param v2Controllers controllers that v2Parent can hand to its children
 * @param v1Writable whether this process may create cgroups on the v1 hierarchies
 * @param problem why this process cannot create cgroups, with what to do; empty when it can
 */
public record CgroupHost(
    Version version,
    Map<String, Path> v1Mounts,
    Optional<Path> unifiedMount,
    Optional<Path> v2Parent,
    Set<String> v2Controllers,
    boolean v1Writable,
    String problem) {

  /** Which cgroup hierarchies are mounted. */
  public enum Version {
    /** No cgroup file system is mounted. */
    NONE,
    /** Only per-controller (legacy) hierarchies. */
    V1,
    /** Only the unified hierarchy. */
    V2,
    /** Legacy controller hierarchies plus a unified one beside them (systemd's "hybrid"). */
    HYBRID
  }

  /** The name of Berth's own parent cgroup on every hierarchy. */
  public static final String BERTH = "berth";

  /** Controllers Berth gives a container on v1: limits, accounting and freezing. */
  static final Set<String> V1_USED = Set.of("memory", "cpu", "cpuacct", "pids", "freezer");

  /** Controllers Berth enables on v2 (accounting and freezing are core files there). */
  static final Set<String> V2_USED = Set.of("memory", "cpu", "pids");

  public CgroupHost {
    v1Mounts = Map.copyOf(v1Mounts);
    v2Controllers = Set.copyOf(v2Controllers);
  }

  /** @return whether this process may create a cgroup for a container */
  public boolean canCreate() {
    return (v1Writable && !v1Mounts.isEmpty()) || v2Parent.isPresent();
  }

  /** @return the controllers that a container's limits can use, sorted */
  public Set<String> controllers() {
    Set<String> all = new TreeSet<>(v2Controllers);
    if (v1Writable) {
      all.addAll(v1Mounts.keySet());
    }
    return all;
  }

  /** @return the same host seen through its v1 hierarchies only */
  public CgroupHost withoutUnified() {
    return view(Version.V1, v1Mounts, Optional.empty(), Optional.empty(), Set.of(), v1Writable);
  }

  /** @return the same host seen through its unified hierarchy only, as on a pure v2 host */
  public CgroupHost unifiedOnly() {
    return view(Version.V2, Map.of(), unifiedMount, v2Parent, v2Controllers, false);
  }

  private CgroupHost view(Version version, Map<String, Path> v1, Optional<Path> unified,
      Optional<Path> parent, Set<String> v2, boolean v1Ok) {
    CgroupHost view = new CgroupHost(version, v1, unified, parent, v2, v1Ok, problem);
    return view.canCreate() || !problem.isEmpty() ? view : new CgroupHost(version, v1, unified,
        parent, v2, v1Ok, "this host has no " + version + " hierarchy this process may write");
  }

  /**
   * @return whether a spare helper's zygote joins v1 cgroups ahead of time: only v1 hierarchies
   *     need a process moved in after fork (v2 takes it at fork, with clone3's CLONE_INTO_CGROUP)
   */
  public boolean spareJoinsV1() {
    return !v1Parents().isEmpty();
  }

  /** @return Berth's parent dir on each v1 hierarchy it uses; empty unless this process may write them */
  List<Path> v1ParentDirs() {
    return List.copyOf(v1Parents().keySet());
  }

  /** @return every dir under which Berth keeps container cgroups on this host */
  List<Path> berthParents() {
    List<Path> parents = new ArrayList<>(v1Parents().keySet());
    v2Parent.ifPresent(parents::add);
    return parents;
  }

  /**
   * The dirs a container with this id has (or would have), v1 ones first; each with the
   * controllers Berth uses through it.
   */
  List<CgroupDir> layout(String id) {
    List<CgroupDir> dirs = new ArrayList<>();
    v1Parents().forEach((parent, controllers) ->
        dirs.add(new CgroupDir(parent.resolve(id), false, controllers)));
    v2Parent.ifPresent(parent ->
        dirs.add(new CgroupDir(parent.resolve(id), true, v2ControllersToEnable())));
    return dirs;
  }

  /** @return the v2 controllers to enable for containers: those not already served by v1 */
  Set<String> v2ControllersToEnable() {
    Set<String> wanted = new TreeSet<>(V2_USED);
    wanted.retainAll(v2Controllers);
    if (v1Writable) {
      wanted.removeAll(v1Mounts.keySet());
    }
    return wanted;
  }

  /** Berth's parent on each v1 hierarchy (co-mounted controllers share one), in mount order. */
  private Map<Path, Set<String>> v1Parents() {
    Map<Path, Set<String>> parents = new LinkedHashMap<>();
    if (!v1Writable) {
      return parents;
    }
    v1Mounts.entrySet().stream()
        .filter(e -> V1_USED.contains(e.getKey()))
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> parents.computeIfAbsent(e.getValue().resolve(BERTH),
            p -> new LinkedHashSet<>()).add(e.getKey()));
    return parents;
  }
}
