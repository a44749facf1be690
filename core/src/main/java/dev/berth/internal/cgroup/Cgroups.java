package dev.berth.internal.cgroup;

import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.cgroup.CgroupHost.Version;
import dev.berth.internal.linux.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out how this host's cgroups are mounted and what this process may do with them, from
 * {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}.
 *
 * <pre>{@code
 * CgroupHost host = Cgroups.detect();
 * if (!host.canCreate()) System.out.println(host.problem());
 * }</pre>
 */
public final class Cgroups {

  /** Mount options of a v1 cgroup mount that are not controller names. */
  private static final Set<String> NOT_CONTROLLERS = Set.of("rw", "ro", "noprefix",
      "clone_children", "xattr", "none", "cpuset_v2_mode", "favordynmods", "nsdelegate",
      "memory_recursiveprot", "memory_localevents", "memory_hugetlb_accounting");

  private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");

  private Cgroups() {}

  /** @return this host's cgroups as this process sees them; reads /proc on every call */
  public static CgroupHost detect() {
    return detect(readProc("mountinfo"), readProc("cgroup"), Linux.isRoot(), Files::isWritable);
  }

  /**
   * Decides from the contents of mountinfo and /proc/self/cgroup; writable says whether this
   * process may write a path (the kernel's access(2) check on a real host).
   */
  static CgroupHost detect(String mountinfo, String procCgroup, boolean root,
      Predicate<Path> writable) {
    List<Mount> mounts = parseMountinfo(mountinfo);
    Map<String, Mount> v1 = new LinkedHashMap<>();
    Optional<Mount> unified = Optional.empty();
    for (Mount m : mounts) {
      if (m.fsType.equals("cgroup")) {
        m.controllers().forEach(c -> v1.putIfAbsent(c, m));
      } else if (m.fsType.equals("cgroup2") && unified.isEmpty()) {
        unified = Optional.of(m);
      }
    }
    Map<String, Path> v1Points = new LinkedHashMap<>();
    v1.forEach((c, m) -> v1Points.put(c, m.point));
    Version version = v1.isEmpty() ? (unified.isPresent() ? Version.V2 : Version.NONE)
        : (unified.isPresent() ? Version.HYBRID : Version.V1);
    Map<String, Path> v1Parents = v1Parents(v1, procCgroup, root, writable);
    String ownPath = ownV2Path(procCgroup);
    Optional<Path> v2Parent =
        unified.flatMap(m -> v2Parent(m.point, m.ownDir(ownPath), root, writable));
    Set<String> v2Controllers = v2Parent.map(p -> readControllers(p.getParent())).orElse(Set.of());
    CgroupHost host = new CgroupHost(version, v1Points, unified.map(m -> m.point), v2Parent,
        v2Controllers, v1Parents, "");
    return host.canCreate() ? host : new CgroupHost(version, v1Points, unified.map(m -> m.point),
        v2Parent, v2Controllers, v1Parents, problem(version, root, v1Points, unified, ownPath));
  }

  /**
   * Root owns every v1 hierarchy: {@code <mount>/berth}. Anyone else may use a controller whose
   * own cgroup (in /proc/self/cgroup) it may write, as an administrator delegates a v1 cgroup by
   * chowning it: {@code <own cgroup>/berth} (v1 has no rule against children beside processes).
   */
  private static Map<String, Path> v1Parents(Map<String, Mount> v1, String procCgroup, boolean root,
      Predicate<Path> writable) {
    Map<String, Path> parents = new LinkedHashMap<>();
    if (root) {
      if (!v1.isEmpty() && v1.values().stream().allMatch(m -> writable.test(m.point))) {
        v1.forEach((c, m) -> parents.put(c, m.point.resolve(CgroupHost.BERTH)));
      }
      return parents;
    }
    Map<String, String> own = ownV1Paths(procCgroup);
    v1.forEach((c, m) -> {
      Path dir = own.containsKey(c) ? m.ownDir(own.get(c)) : null;
      if (CgroupHost.V1_USED.contains(c) && dir != null && writable.test(dir)
          && writable.test(dir.resolve("cgroup.procs"))) {
        parents.put(c, dir.resolve(CgroupHost.BERTH));
      }
    });
    return parents;
  }

  /** @return each v1 controller's path in /proc/self/cgroup ("4:memory:/path", "2:cpu,cpuacct:/p") */
  static Map<String, String> ownV1Paths(String procCgroup) {
    Map<String, String> paths = new LinkedHashMap<>();
    procCgroup.lines().map(l -> l.split(":", 3)).filter(f -> f.length == 3 && !f[0].equals("0"))
        .forEach(f -> Arrays.stream(f[1].split(",")).forEach(c -> paths.put(c, f[2])));
    return paths;
  }

  /**
   * Root owns the hierarchy: {@code <mount>/berth}. Anyone else needs a delegated cgroup: the
   * nearest ancestor of its own cgroup that it may write, subtree_control included (systemd's
   * Delegate=yes hands out exactly that); else its own cgroup when delegated itself (a scope or
   * service with Delegate=yes): it holds this JVM, and the kernel refuses controllers below a
   * cgroup with processes, so the JVM moves into a leaf of it before the first container's
   * cgroup is made ({@link ContainerCgroup}), as podman and Docker-in-Docker do.
   */
  private static Optional<Path> v2Parent(Path mount, Path ownDir, boolean root,
      Predicate<Path> writable) {
    if (root) {
      return writable.test(mount) ? Optional.of(mount.resolve(CgroupHost.BERTH))
          : Optional.empty();
    }
    for (Path d = ownDir.getParent(); d != null && d.startsWith(mount); d = d.getParent()) {
      if (delegated(d, writable)) {
        return Optional.of(d.resolve(CgroupHost.BERTH));
      }
    }
    return !ownDir.equals(mount) && delegated(ownDir, writable)
        ? Optional.of(ownDir.resolve(CgroupHost.BERTH)) : Optional.empty();
  }

  private static boolean delegated(Path d, Predicate<Path> writable) {
    return writable.test(d) && writable.test(d.resolve("cgroup.subtree_control"))
        && writable.test(d.resolve("cgroup.procs"));
  }

  private static String problem(Version version, boolean root, Map<String, Path> v1,
      Optional<Mount> unified, String ownPath) {
    if (version == Version.NONE) {
      return "no cgroup file system is mounted (see /proc/self/mountinfo); mount cgroup2 on"
          + " /sys/fs/cgroup, or run without resource limits";
    }
    if (root) {
      List<Path> points = new ArrayList<>(new HashSet<>(v1.values()));
      unified.ifPresent(m -> points.add(m.point));
      return "the cgroup file systems " + points + " are read-only to this process; give it a"
          + " writable cgroupfs (a container needs --cgroupns=private with a writable"
          + " /sys/fs/cgroup, or --privileged), or run without resource limits";
    }
    if (version == Version.V2) {
      return "this process is not root and no cgroup above its own (" + ownPath
          + ") is delegated to it (writable, with a writable cgroup.subtree_control); run as"
          + " root, or start the JVM in a delegated cgroup with systemd, e.g."
          + " `systemd-run --user --scope -p Delegate=yes java ...` or Delegate=yes in its"
          + " service unit (and `loginctl enable-linger` for a user without a login session)";
    }
    return "this process is not root and none of its own cgroup v1 cgroups (/proc/self/cgroup) of"
        + " the memory, cpu, cpuacct, pids and freezer controllers is writable by it; run as"
        + " root, or delegate them: as root, create a cgroup per controller, chown it (and its"
        + " files) to the user and start the JVM in it (write its pid to cgroup.procs), e.g."
        + " `mkdir /sys/fs/cgroup/memory/alice && chown -R alice /sys/fs/cgroup/memory/alice`;"
        + " or boot with cgroup v2 (systemd.unified_cgroup_hierarchy=1) and use systemd's"
        + " Delegate=yes (`systemd-run --user --scope -p Delegate=yes java ...`)";
  }

  /** @return the controllers listed in a v2 dir's cgroup.controllers; none if unreadable */
  static Set<String> readControllers(Path dir) {
    List<String> lines = CgroupFiles.lines(dir.resolve("cgroup.controllers"));
    Set<String> controllers = new HashSet<>();
    lines.forEach(line -> controllers.addAll(Arrays.asList(line.trim().split("\\s+"))));
    controllers.remove("");
    return controllers;
  }

  /** @return this process's path on the unified hierarchy ("0::/path"), or "/" */
  static String ownV2Path(String procCgroup) {
    return procCgroup.lines().filter(l -> l.startsWith("0::")).map(l -> l.substring(3))
        .findFirst().orElse("/");
  }

  static List<Mount> parseMountinfo(String mountinfo) {
    List<Mount> mounts = new ArrayList<>();
    for (String line : mountinfo.split("\n")) {
      String[] halves = line.split(" - ", 2);
      String[] left = halves[0].split(" ");
      if (halves.length < 2 || left.length < 5) {
        continue;
      }
      String[] right = halves[1].split(" ");
      mounts.add(new Mount(unescape(left[3]), Path.of(unescape(left[4])), right[0],
          right.length > 2 ? right[2] : ""));
    }
    return mounts;
  }

  /** mountinfo escapes space, tab, newline and backslash as \ooo. */
  private static String unescape(String field) {
    Matcher m = OCTAL_ESCAPE.matcher(field);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out,
          Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
    }
    return m.appendTail(out).toString();
  }

  private static String readProc(String name) {
    try {
      return Files.readString(Path.of("/proc/self", name));
    } catch (IOException e) {
      throw new UnsupportedEnvironmentException("reading /proc/self/" + name + " failed: "
          + CgroupFiles.reason(e) + "; Berth needs /proc mounted to find cgroups");
    }
  }

  /**
   * One line of mountinfo.
   *
   * @param root the dir of the file system shown at the mount point
   * @param point where it is mounted
   * @param fsType cgroup, cgroup2, ...
   * @param superOptions the file system's own options (v1: the controllers)
   */
  record Mount(String root, Path point, String fsType, String superOptions) {

    List<String> controllers() {
      return Arrays.stream(superOptions.split(","))
          .filter(o -> !o.isEmpty() && !NOT_CONTROLLERS.contains(o) && !o.contains("="))
          .toList();
    }

    /** @return the dir of a cgroup path of this hierarchy under the mount point */
    Path ownDir(String cgroupPath) {
      Path path = Path.of(cgroupPath);
      Path mountRoot = Path.of(root);
      return path.startsWith(mountRoot) ? point.resolve(mountRoot.relativize(path).toString())
          : point;
    }
  }
}
