package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A rootless JVM whose own cgroup v2 cgroup is delegated to it (what systemd's
 * {@code systemd-run --user --scope -p Delegate=yes} gives): it moves itself into the leaf
 * {@code berth-jvm} and puts its containers in {@code <own>/berth/<id>}, as podman does. This
 * test (as root) makes {@code <cgroup2 mount>/}{@value DelegatedCgroups#PARENT}{@code /run-*},
 * chowns it to the test user, starts the user's JVM in it ({@link RootlessV2ScopeScenarioMain})
 * and removes exactly that afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootlessDelegatedV2CgroupTest {
  /** The test's own cgroups, removed after the run (whose JVM has exited by then). */
  @AutoClose private final DelegatedCgroups delegated = new DelegatedCgroups();
  @AutoClose private RootlessRun run;
  private Map<String, String> said;
  private Path own;
  private String ownPath;
  private List<Path> left;
  private boolean leafLeft;

  @BeforeAll
  void runScenarioInADelegatedV2Cgroup() throws Exception {
    assumeTrue(Linux.isRoot(), "needs root to make and delegate the test cgroup");
    Path mount = Stream.of(Path.of("/sys/fs/cgroup/unified"), Path.of("/sys/fs/cgroup"))
        .filter(p -> Files.exists(p.resolve("cgroup.subtree_control"))).findFirst().orElse(null);
    assumeTrue(mount != null, "this host has no cgroup2 hierarchy");
    RootlessRun.ensureUser();
    own = delegated.delegate(mount);
    ownPath = "/" + mount.relativize(own);
    run = RootlessRun.startInCgroups(RootlessV2ScopeScenarioMain.class, List.of(own));
    said = run.said();
    try (Stream<Path> s = Files.isDirectory(own.resolve("berth")) ? Files.list(own.resolve("berth")) : Stream.empty()) {
      left = s.filter(Files::isDirectory).toList();
    }
    leafLeft = Files.isDirectory(own.resolve("berth-jvm"));
  }

  @Test
  void jvm_startsInTheDelegatedCgroup_andMovesIntoItsLeaf() {
    assertThat(said.get("jvm.before")).isEqualTo(ownPath);
    assertThat(said.get("jvm.after")).isEqualTo(ownPath + "/berth-jvm");
    assertThat(leafLeft).isTrue();
  }

  @Test
  void container_livesInACgroupBelowTheDelegatedOne() {
    assertThat(said.get("container.cgroup")).matches(java.util.regex.Pattern.quote(ownPath + "/berth/") + "[0-9a-f]{64}");
  }

  @Test
  void nothingIsLeftAfterRemoval() {
    assertThat(left).isEmpty();
  }
}
