package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.internal.store.FileTrees;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Berth as an unprivileged user: this (root) test creates the user {@value #USER} when missing
 * (useradd gives it a subordinate id range on Debian), copies the test class path where that user
 * can read it, and runs {@link RootlessScenarioMain} in a child JVM as that user against the
 * shared test registry. Each test checks one thing the scenario printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootlessEndToEndTest {
  static final String USER = "berth-rootless-test";

  private Path work;
  private Path home;
  private Map<String, String> said;
  private int uid;

  @BeforeAll
  void runScenarioAsUnprivilegedUser() throws Exception {
    assumeTrue(Linux.isRoot(), "needs root to create the test user and switch to it (run the tests as root)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux) to run a JVM as the test user");
    ensureUser();
    uid = Integer.parseInt(command("id", "-u", USER).strip());
    assumeTrue(Linux.hasUserNamespaces(), "this kernel does not let unprivileged users create user namespaces");
    TestRegistry registry = Registries.plainWith("busybox", "node");
    work = Files.createTempDirectory(Path.of("/tmp"), "berth-rootless-");
    Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path rootOwned = Files.createDirectory(work.resolve("root-owned"));
    home = Path.of("/home", USER, ".local/share", work.getFileName().toString());
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups",
        "env", "-i", "HOME=/home/" + USER, "USER=" + USER, "PATH=/usr/local/bin:/usr/bin:/bin",
        java, "-cp", readableClassPath(work.resolve("cp")), RootlessScenarioMain.class.getName(),
        registry.host(), home.toString(), rootOwned.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("the scenario finished").isTrue();
    System.out.println("[rootless scenario as " + USER + "]\n" + out);
    assertThat(p.exitValue()).as(out).isZero();
    said = RootlessScenarioMain.parse(out);
  }

  @AfterAll
  void cleanUp() throws IOException {
    for (Path p : new Path[] {home, work}) {
      if (p != null) {
        FileTrees.deleteRecursively(p); // root may remove the subordinate ids' files
      }
    }
  }

  @Test
  void info_reportsRootlessWithTheFullRangeAndUserxattrOverlay() {
    assertThat(said.get("info.userNamespace")).isEqualTo("FULL_RANGE");
    assertThat(said.get("info.rootfs")).isEqualTo("OVERLAY_USERXATTR");
    assertThat(said.get("info")).contains("rootless:        true", "store:           " + home);
  }

  @Test
  void inspect_showsTheMappingAndRootfsOfEachContainer() {
    assertThat(said.get("busybox.inspect")).isEqualTo("FULL_RANGE OVERLAY_USERXATTR");
  }

  @Test
  void id_inContainer_isRoot() {
    assertThat(said.get("busybox.id")).startsWith("uid=0(root) gid=0(root)");
  }

  @Test
  void echo_printsItsArguments() {
    assertThat(said.get("busybox.echo")).isEqualTo("hello from rootless");
  }

  @Test
  void uidMap_mapsRootToTheUserAndOneOnToTheSubordinateRange() {
    assertThat(said.get("busybox.uidMap")).containsPattern("\\b0\\s+" + uid + "\\s+1\\b")
        .containsPattern("\\b1\\s+\\d+\\s+65536\\b");
  }

  @Test
  void layerOwner_uid1000_staysUid1000Inside() {
    assertThat(said.get("busybox.appHome")).isEqualTo("1000:1000");
  }

  @Test
  void layerOwner_uid1000_isASubordinateIdOnTheHost() {
    int onHost = Integer.parseInt(said.get("busybox.appHomeOnHost").split(":")[0]);
    assertThat(onHost).isNotIn(0, 1000, uid).isGreaterThan(65535);
  }

  @Test
  void node_runsDebiansNode() {
    assertThat(said.get("node.version")).matches("v\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void shadow_isOwnedByRootAndGroupShadowInside() {
    assertThat(said.get("node.shadow")).startsWith("root:shadow ");
  }

  @Test
  void procSys_isNotWritableByContainerRoot() {
    assertThat(said.get("busybox.procSys")).isEqualTo("refused");
  }

  @Test
  void mount_isRefusedToContainerRoot() {
    assertThat(said.get("busybox.mount")).isEqualTo("refused");
  }

  @Test
  void fileCreatedByContainerRoot_isOwnedByTheUserOnTheHost() {
    assertThat(said.get("busybox.rootUpperOwner")).endsWith(uid + ":" + uid);
  }

  @Test
  void fileCreatedByContainerUser1000_isOwnedByASubordinateIdOnTheHost() {
    String owner = said.get("busybox.appUpperOwner");
    int onHost = Integer.parseInt(owner.substring(owner.lastIndexOf(' ') + 1).split(":")[0].strip());
    assertThat(onHost).isGreaterThan(65535);
  }

  @Test
  void closedContainers_areRemovedEvenWithSubordinateOwnedFiles() {
    assertThat(said.get("containers.left")).isEqualTo("0");
  }

  @Test
  void rootOwnedHostDirectory_boundReadWrite_isNotWritableByContainerRoot() {
    assertThat(said.get("bind.rootOwnedRw")).isEqualTo("refused");
  }

  @Test
  void readOnlyBind_isNotWritable() {
    assertThat(said.get("bind.mineRo")).isEqualTo("refused");
  }

  private static void ensureUser() throws Exception {
    if (new ProcessBuilder("id", "-u", USER).start().waitFor() != 0) {
      command("useradd", "--create-home", "--shell", "/bin/sh", USER);
    }
    assumeTrue(Files.readString(Path.of("/etc/subuid")).contains(USER + ":"),
        "useradd gave " + USER + " no subordinate ids (/etc/subuid); this VM's login.defs lacks SUB_UID_MIN");
  }

  /** Copies each class path entry under dir (root's ~/.m2 is not readable by other users). */
  private static String readableClassPath(Path dir) throws Exception {
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path src = Path.of(e);
      if (!Files.exists(src)) {
        continue;
      }
      Path dst = dir.resolve((i++) + "-" + src.getFileName());
      Files.createDirectories(dir);
      command("cp", "-r", src.toString(), dst.toString());
      entries.add(dst.toString());
    }
    command("chmod", "-R", "a+rX", dir.toString());
    return String.join(File.pathSeparator, entries);
  }

  private static String command(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }
}
