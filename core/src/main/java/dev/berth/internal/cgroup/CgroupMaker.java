package dev.berth.internal.cgroup;

import dev.berth.BerthException;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.cgroup.CgroupLimits.Need;
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
import java.util.TreeSet;

/**
 * Makes a {@link ContainerCgroup}'s dirs and writes its limits: enables the v2 controllers on
 * the way down (moving this JVM into a leaf where the v2 rule asks for it), renames a spare's v1
 * dirs into place, and says for each limit no dir can hold why, and what to do.
 */
final class CgroupMaker {
  private CgroupMaker() {}

  /** The leaf a JVM moves into when its own delegated v2 cgroup is to hold containers. */
  static final String JVM_LEAF = "berth-jvm";

  /**
   * The error for a container dir that exists already, naming it and what to do. The mkdir or
   * rename that makes the dir finds it (no check ahead: a start makes a new id's dirs).
   */
  static BerthException alreadyExists(Path dir) {
    return new BerthException("a cgroup for container " + dir.getFileName() + " already exists at "
        + dir + "; remove it with ContainerCgroup.open(id).destroy(), or use another id");
  }

  /**
   * Creates the planned dirs, adding each to made as soon as it exists, and writes the limits.
   *
   * @return the limits that could not be applied
   */
  static List<String> makeAndApply(CgroupHost host, List<CgroupDir> planned,
      CgroupLimits limits, List<CgroupDir> made, SpareCgroup spare) {
    Map<String, String> enableFailures = new LinkedHashMap<>();
    for (CgroupDir dir : planned) {
      Optional<Path> spareDir = spare == null || dir.unified() ? Optional.empty()
          : spare.dirUnder(dir.path().getParent());
      made.add(spareDir.isPresent() ? spare.rename(spareDir.get(), dir) : make(dir, enableFailures));
    }
    List<String> unmet = unmet(host, made, limits, enableFailures);
    for (CgroupDir dir : made) {
      unmet.addAll(dir.apply(limits));
    }
    return unmet;
  }

  private static CgroupDir make(CgroupDir dir, Map<String, String> enableFailures) {
    Path parent = dir.path().getParent();
    try {
      Files.createDirectories(parent);
      Set<String> controllers = dir.controllers();
      if (dir.unified()) {
        leaveForLeaf(parent.getParent());
        controllers = enable(parent.getParent(), controllers, enableFailures);
        controllers = enable(parent, controllers, enableFailures);
      }
      Files.createDirectory(dir.path());
      return new CgroupDir(dir.path(), dir.unified(), controllers);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw alreadyExists(dir.path());
    } catch (IOException e) {
      throw new BerthException("creating cgroup " + dir.path() + " failed: "
          + CgroupFiles.reason(e), e);
    }
  }

  /**
   * A v2 cgroup may hand controllers to its children only while it holds no process: a JVM in
   * its own delegated cgroup (Berth's parent is {@code <own>/berth}) moves itself into the leaf
   * {@code <own>/}{@value #JVM_LEAF} first. Only this process moves; the hierarchy's root is
   * exempt from the rule and never left.
   */
  private static void leaveForLeaf(Path dir) throws IOException {
    String me = Long.toString(ProcessHandle.current().pid());
    if (!Files.exists(dir.resolve("cgroup.type")) || !CgroupFiles.lines(dir.resolve("cgroup.procs")).contains(me)) {
      return; // the root cgroup (no cgroup.type), or one this process is not directly in
    }
    Path leaf = dir.resolve(JVM_LEAF);
    Files.createDirectories(leaf);
    CgroupFiles.write(leaf.resolve("cgroup.procs"), me);
  }

  /**
   * Enables controllers for the children of a v2 dir, one write each so that one refusal does not
   * hide the others.
   *
   * @return those now enabled
   */
  private static Set<String> enable(Path dir, Set<String> wanted, Map<String, String> failures) {
    Path file = dir.resolve("cgroup.subtree_control");
    Set<String> enabled = new HashSet<>(Arrays.asList(CgroupFiles.read(file).split("\\s+")));
    Set<String> done = new TreeSet<>();
    for (String controller : wanted) {
      try {
        if (!enabled.contains(controller)) {
          CgroupFiles.write(file, "+" + controller);
        }
        done.add(controller);
      } catch (BerthException e) {
        failures.put(controller, e.getMessage());
      }
    }
    return done;
  }

  /** @return a description, with what to do, of each limit no dir can hold */
  static List<String> unmet(CgroupHost host, List<CgroupDir> dirs, CgroupLimits limits,
      Map<String, String> enableFailures) {
    List<String> unmet = new ArrayList<>();
    for (Need need : limits.needs()) {
      if (dirs.stream().noneMatch(d -> d.serves(need.controller()))) {
        unmet.add(need.limit() + ": " + whyMissing(host, need.controller(), enableFailures));
      }
    }
    return unmet;
  }

  private static String whyMissing(CgroupHost host, String controller,
      Map<String, String> enableFailures) {
    if (!host.canCreate()) {
      return host.problem();
    }
    if (enableFailures.containsKey(controller)) {
      return enableFailures.get(controller) + " (a v2 cgroup that holds processes cannot enable"
          + " controllers for its children: in a container, move its processes into a child"
          + " cgroup first, as Docker-in-Docker entrypoints do)";
    }
    if (host.v2Parent().isPresent()) {
      return "the " + controller + " controller is not in "
          + host.v2Parent().get().getParent().resolve("cgroup.controllers")
          + "; delegate it to this process (systemd: Delegate=yes, or Delegate=" + controller
          + ") or run as root";
    }
    if (host.v1Mounts().containsKey(controller)) {
      return "this process's own cgroup of the " + controller + " controller (see /proc/self/cgroup)"
          + " is not writable by it, so it cannot hold containers' cgroups; as root, chown it (and"
          + " its files) to the user, or run as root";
    }
    return "the " + controller + " controller is not mounted; mount its cgroup v1 hierarchy"
        + " (mount -t cgroup -o " + controller + " cgroup /sys/fs/cgroup/" + controller
        + ") or boot with cgroup v2";
  }

  static UnsupportedEnvironmentException unsupported(String id, List<String> unmet) {
    return new UnsupportedEnvironmentException("cannot apply the resource limits of container "
        + id + ": " + String.join("; ", unmet)
        + ". Or run it without these limits, or with RunOptionsBuilder.limitsBestEffort(true) to apply"
        + " what this host can");
  }

}
