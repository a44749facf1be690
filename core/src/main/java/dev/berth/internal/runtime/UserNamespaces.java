package dev.berth.internal.runtime;

import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Decides the id mapping of this process's containers, as podman does. */
public final class UserNamespaces {
  /** Where the tools are looked for after PATH: where Debian and Fedora put them. */
  private static final List<String> FALLBACK_DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

  private UserNamespaces() {}

  /**
   * Root: {@link IdMapping.Kind#HOST}. Otherwise {@link IdMapping.Kind#FULL_RANGE} when
   * newuidmap and newgidmap exist and /etc/subuid and /etc/subgid give this user a range, else
   * {@link IdMapping.Kind#SINGLE}.
   */
  public static IdMapping detect(Map<String, String> env) {
    if (Linux.isRoot()) {
      return IdMapping.host(); // asked before the ids: root loads no native library here
    }
    int uid = Syscalls.getuid();
    int gid = Syscalls.getegid();
    String user = System.getProperty("user.name");
    Optional<SubIds.Range> subuids = SubIds.find(Path.of("/etc/subuid"), user, uid);
    Optional<SubIds.Range> subgids = SubIds.find(Path.of("/etc/subgid"), user, uid);
    if (subuids.isPresent() && subgids.isPresent() && findTool("newuidmap", env).isPresent()
        && findTool("newgidmap", env).isPresent()) {
      return IdMapping.fullRange(uid, gid, subuids.get(), subgids.get());
    }
    return IdMapping.single(uid, gid);
  }

  /** @return why a full range is not used, for the one log event that says so */
  public static String whySingle(Map<String, String> env) {
    List<String> missing = new ArrayList<>();
    if (findTool("newuidmap", env).isEmpty() || findTool("newgidmap", env).isEmpty()) {
      missing.add("newuidmap/newgidmap are not installed (Debian: apt-get install uidmap)");
    }
    String user = System.getProperty("user.name");
    long uid = Syscalls.getuid();
    if (SubIds.find(Path.of("/etc/subuid"), user, uid).isEmpty()
        || SubIds.find(Path.of("/etc/subgid"), user, uid).isEmpty()) {
      missing.add("/etc/subuid or /etc/subgid has no range for " + user
          + " (as root: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " + user + ")");
    }
    return String.join("; ", missing);
  }

  /** @return the tool on PATH (the helper finds it the same way), or in the usual directories */
  public static Optional<Path> findTool(String name, Map<String, String> env) {
    List<String> dirs = new ArrayList<>();
    String path = env.get("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(FALLBACK_DIRS);
    return dirs.stream().filter(d -> d.startsWith("/")).map(d -> Path.of(d, name))
        .filter(Files::isExecutable).findFirst();
  }
}
