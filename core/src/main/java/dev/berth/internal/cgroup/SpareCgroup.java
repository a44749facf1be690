package dev.berth.internal.cgroup;

import dev.berth.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The v1 cgroup dirs of a spare helper: {@code <v1 parent>/spare-<jvm pid>-<n>} on each
 * hierarchy Berth uses. The spare's zygote moves itself in ahead of time (moving a process into
 * a v1 cgroup waits for an RCU grace period in the kernel); a container that claims the spare
 * gets them renamed to its own ({@link ContainerCgroup#adopt}), which v1 allows with a process
 * inside (v2 does not, and needs no spare: its processes enter at clone).
 *
 * <p>The helper removes the dirs when it is discarded; {@link #sweep} removes those of JVMs
 * that died with a helper that could not (killed with SIGKILL itself).
 */
public final class SpareCgroup {
  private static final String PREFIX = "spare-";
  private static final AtomicLong COUNTER = new AtomicLong();

  private final List<Path> dirs;

  private SpareCgroup(List<Path> dirs) {
    this.dirs = List.copyOf(dirs);
  }

  /**
   * Makes the dirs of a new spare (empty; the zygote joins them): none where no v1 hierarchy is
   * this process's ({@link CgroupHost#spareJoinsV1()} false), so that a spare saves only the
   * helper's start there.
   *
   * @throws BerthException when a dir cannot be made; those made are removed
   */
  public static SpareCgroup create(CgroupHost host) {
    if (!host.spareJoinsV1()) {
      return new SpareCgroup(List.of());
    }
    String name = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    List<Path> made = new ArrayList<>();
    try {
      for (Path parent : host.spareParentDirs()) {
        Files.createDirectories(parent);
        made.add(Files.createDirectory(parent.resolve(name)));
      }
    } catch (IOException e) {
      new SpareCgroup(made).remove();
      throw new BerthException("creating the spare cgroup " + name + " failed: "
          + CgroupFiles.reason(e), e);
    }
    return new SpareCgroup(made);
  }

  /** @return the dirs, for the helper's command line */
  public List<Path> dirs() {
    return dirs;
  }

  /**
   * Removes the dirs still there (not renamed), waiting up to a second for a zygote that was just
   * killed to leave them; never fails.
   */
  public void remove() {
    for (Path d : dirs) {
      try {
        new CgroupDir(d, false, java.util.Set.of()).remove(1000); // retries while a task leaves
      } catch (BerthException e) {
        // left for the next sweep
      }
    }
  }

  /**
   * Removes the spare dirs of JVMs that are gone (a helper killed with SIGKILL could not).
   *
   * @return how many were removed
   */
  public static int sweep(CgroupHost host) {
    int removed = 0;
    for (Path parent : host.spareParentDirs()) {
      if (!Files.isDirectory(parent)) {
        continue;
      }
      try (Stream<Path> children = Files.list(parent)) {
        for (Path d : children.filter(p -> isSpare(p.getFileName().toString())).toList()) {
          if (ownerGone(d.getFileName().toString())) {
            try {
              Files.deleteIfExists(d);
              removed++;
            } catch (IOException e) {
              // a process still in it: leave it
            }
          }
        }
      } catch (IOException e) {
        // unreadable parent: nothing of ours to sweep there
      }
    }
    return removed;
  }

  static boolean isSpare(String name) {
    return name.startsWith(PREFIX);
  }

  private static boolean ownerGone(String name) {
    String[] parts = name.substring(PREFIX.length()).split("-");
    try {
      return ProcessHandle.of(Long.parseLong(parts[0])).isEmpty();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  Optional<Path> dirUnder(Path parent) {
    return dirs.stream().filter(d -> d.getParent().equals(parent)).findFirst();
  }

  /** Renames the spare's dir to the container's; the zygote inside moves with it. */
  CgroupDir rename(Path spareDir, CgroupDir target) {
    try {
      Files.move(spareDir, target.path(), StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw CgroupMaker.alreadyExists(target.path());
    } catch (IOException e) {
      throw new BerthException("renaming cgroup " + spareDir + " to " + target.path() + " failed: "
          + CgroupFiles.reason(e), e);
    }
  }

  @Override
  public String toString() {
    return "SpareCgroup" + dirs;
  }
}
