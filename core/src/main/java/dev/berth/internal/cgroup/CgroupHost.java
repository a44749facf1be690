package dev.berth.internal.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What this host's cgroups look like to this process, and where Berth puts its own: the one
 * place that knows the layout. Get one from {@link Cgroups#detect()}.
 *
 * <pre>
 * v1: &lt;v1 parent&gt;/&lt;id&gt;                one dir per hierarchy of a controller Berth uses;
 *                                  the parent is &lt;controller mount&gt;/berth for root, or
 *                                  &lt;own cgroup of that controller&gt;/berth when it is
 *                                  delegated (writable) to this process
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
 * @param v1Parents controller name to the v1 dir under which Berth may create container
 *     cgroups through it; empty when this process may create none on v1
 * @param problem why this process cannot create cgroups, with what to do; empty when it can
 */
public record CgroupHost(
    Version version,
    Map<String, Path> v1Mounts,
    Optional<Path> unifiedMount,
    Optional<Path> v2Parent,
    Set<String> v2Controllers,
    Map<String, Path> v1Parents,
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
    v1Parents = Map.copyOf(v1Parents);
  }

  /** @return whether this process may create cgroups on some v1 hierarchy */
  public boolean v1Writable() {
    return !v1Parents.isEmpty();
  }

  /** @return whether this process may create a cgroup for a container */
  public boolean canCreate() {
    return v1Writable() || v2Parent.isPresent();
  }

  /** @return the controllers that a container's limits can use, sorted */
  public Set<String> controllers() {
    Set<String> all = new TreeSet<>(v2Controllers);
    all.addAll(v1Parents.keySet());
    return all;
  }

  /** @return the same host seen through its v1 hierarchies only */
  public CgroupHost withoutUnified() {
    return view(Version.V1, v1Mounts, Optional.empty(), Optional.empty(), Set.of(), v1Parents);
  }

  /** @return the same host seen through its unified hierarchy only, as on a pure v2 host */
  public CgroupHost unifiedOnly() {
    return view(Version.V2, Map.of(), unifiedMount, v2Parent, v2Controllers, Map.of());
  }

  private CgroupHost view(Version version, Map<String, Path> v1, Optional<Path> unified,
      Optional<Path> parent, Set<String> v2, Map<String, Path> v1Ok) {
    CgroupHost view = new CgroupHost(version, v1, unified, parent, v2, v1Ok, problem);
    return view.canCreate() || !problem.isEmpty() ? view : new CgroupHost(version, v1, unified,
        parent, v2, v1Ok, "this host has no " + version + " hierarchy this process may write");
  }

  /**
   * @return whether a spare helper's zygote joins v1 cgroups ahead of time: only v1 hierarchies
   *     need a process moved in after fork (v2 takes it at fork, with clone3's CLONE_INTO_CGROUP)
   */
  public boolean spareJoinsV1() {
    return !v1ParentDirs().isEmpty();
  }

  /** @return Berth's parent dir on each v1 hierarchy it uses, where spares keep their dirs */
  List<Path> spareParentDirs() {
    return List.copyOf(v1ParentDirs().keySet());
  }

  /** @return every dir under which Berth keeps container cgroups on this host */
  List<Path> berthParents() {
    List<Path> parents = new ArrayList<>(v1ParentDirs().keySet());
    v2Parent.ifPresent(parents::add);
    return parents;
  }

  /**
   * The dirs a container with this id has (or would have), v1 ones first; each with the
   * controllers Berth uses through it.
   */
  List<CgroupDir> layout(String id) {
    List<CgroupDir> dirs = new ArrayList<>();
    v1ParentDirs().forEach((parent, controllers) ->
        dirs.add(new CgroupDir(parent.resolve(id), false, controllers)));
    v2Parent.ifPresent(parent ->
        dirs.add(new CgroupDir(parent.resolve(id), true, v2ControllersToEnable())));
    return dirs;
  }

  /** @return the v2 controllers to enable for containers: those not already served by v1 */
  Set<String> v2ControllersToEnable() {
    Set<String> wanted = new TreeSet<>(V2_USED);
    wanted.retainAll(v2Controllers);
    wanted.removeAll(v1Parents.keySet());
    return wanted;
  }

  /** Berth's parent on each v1 hierarchy (co-mounted controllers share one), in path order. */
  private Map<Path, Set<String>> v1ParentDirs() {
    Map<Path, Set<String>> parents = new TreeMap<>(); // not Map.Entry.comparingByValue: see Endpoint.BY_INTERFACE
    v1Parents.forEach((controller, parent) -> {
      if (V1_USED.contains(controller)) {
        parents.computeIfAbsent(parent, p -> new LinkedHashSet<>()).add(controller);
      }
    });
    return parents;
  }
}
