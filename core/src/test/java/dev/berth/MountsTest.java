package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.BusyboxEngine;
import dev.berth.testsupport.Registries;
import dev.berth.testsupport.RemoteDiffers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binds, volumes, tmpfs mounts and docker cp, through the public API, in real containers. */
class MountsTest {
  private static final long MS_BIND = 4096;
  private static final long MS_SHARED = 1 << 20;
  private static final int MNT_DETACH = 2;
  @TempDir static Path home;
  static Berth berth;
  static Image busybox;

  static BusyboxEngine engine;

  @BeforeAll
  static void pull() {
    engine = BusyboxEngine.start(home, "mounts are tested as root (containers, overlay views)");
    berth = engine.berth();
    busybox = engine.busybox();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  /** Copies of stopped containers and volume fills mount overlays: none may stay mounted. */
  @AfterEach
  void nothingLeftMountedOnTheHost() throws Exception {
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(home.toString());
  }

  private static String run(RunOptionsBuilder opts, String script) throws Exception {
    try (Container c = busybox.run(opts.command("sh", "-c", script).build())) {
      String out = new String(c.getInputStream().readAllBytes())
          + new String(c.getErrorStream().readAllBytes());
      c.waitFor();
      return out;
    }
  }

  /** A running container that has run {@code setup}, then sleeps. */
  private static Container running(String setup) throws Exception {
    Container c = busybox.run("sh", "-c", setup + " && echo ready && sleep 60");
    assertThat(new String(c.getInputStream().readNBytes(6))).isEqualTo("ready\n");
    return c;
  }

  // ---- binds -------------------------------------------------------------------------------

  @Test
  void bind_readWrite_containerWritesAndHostSeesIt(@TempDir Path dir) throws Exception {
    run(RunOptions.builder().bind(dir, "/mnt/host", false), "echo from-container > /mnt/host/f");
    assertThat(dir.resolve("f")).hasContent("from-container");
  }

  @Test
  void bind_readOnly_writeFailsWithReadOnlyFileSystem(@TempDir Path dir) throws Exception {
    String out = run(RunOptions.builder().bind(dir, "/mnt/host", true),
        "echo x > /mnt/host/f; echo rc=$?");
    assertThat(out).contains("Read-only file system").contains("rc=1");
    assertThat(dir.resolve("f")).doesNotExist();
  }

  @Test
  void bind_hostFileReadOnly_isReadable(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("conf"), "setting=1\n");
    String out = run(RunOptions.builder().bind(file, "/etc/app.conf", true), "cat /etc/app.conf");
    assertThat(out).isEqualTo("setting=1\n");
  }

  @Test
  void bind_default_isPrivateSoLaterHostMountsStayOutside(@TempDir Path dir) throws Exception {
    Path sub = Files.createDirectories(dir.resolve("sub"));
    // A shared host mount, as systemd makes /: without rprivate its new mounts would show.
    Syscalls.mount(dir.toString(), dir.toString(), null, MS_BIND, null);
    try {
      Syscalls.mount(null, dir.toString(), null, MS_SHARED, null);
      try (Container c = busybox.run(RunOptions.builder().bind(dir, "/mnt/host", false)
          .command("sleep", "60").build())) {
        Syscalls.mount("tmpfs", sub.toString(), "tmpfs", 0, "size=1m");
        Files.writeString(sub.resolve("late"), "x");
        assertThat(c.exec("ls", "/mnt/host/sub").stdout()).isEmpty();
      }
    } finally {
      Syscalls.umount2(dir.toString(), MNT_DETACH);
    }
  }

  @Test
  @RemoteDiffers(value = "podman's service does not refuse a bind mount whose source is"
      + " missing", on = "podman")
  void bind_sourceGoneBeforeRun_throwsNamingIt(@TempDir Path dir) throws Exception {
    Path gone = Files.createDirectories(dir.resolve("gone"));
    RunOptions opts = RunOptions.builder().bind(gone, "/mnt", false).command("true").build();
    Files.delete(gone);
    int before = berth.containers(true).size();
    assertThatThrownBy(() -> busybox.run(opts)).isInstanceOf(BerthException.class)
        .hasMessageContaining("bind source path does not exist: " + gone);
    assertThat(berth.containers(true)).hasSize(before);
  }

  // ---- volumes -----------------------------------------------------------------------------

  @Test
  @RemoteDiffers(RemoteDiffers.LOCAL_HOME)
  void volume_named_persistsAcrossContainersAndStartsWithTheImagesFiles() throws Exception {
    RunOptionsBuilder opts = RunOptions.builder().volume("etcvol", "/etc");
    run(opts, "echo kept > /etc/marker");
    String out = run(RunOptions.builder().volume("etcvol", "/etc"),
        "cat /etc/marker; grep -c ^root: /etc/passwd");
    assertThat(out).isEqualTo("kept\n1\n");
    assertThat(berth.volumes()).extracting(VolumeInfo::name).contains("etcvol");
    Path data = berth.volumes().stream().filter(v -> v.name().equals("etcvol")).findFirst()
        .orElseThrow().mountpoint();
    assertThat(data.resolve("passwd")).exists();
    assertThat(data).isEqualTo(home.resolve("volumes/etcvol/_data"));
  }

  @Test
  @RemoteDiffers(RemoteDiffers.LOCAL_HOME)
  void volume_filledFromImage_keepsModesAndOwners() throws Exception {
    String out = run(RunOptions.builder().volume("tmpvol", "/tmp"), "stat -c '%a %u' /tmp");
    assertThat(out).isEqualTo("1777 0\n");
    assertThat(Files.getPosixFilePermissions(home.resolve("volumes/tmpvol/_data")))
        .isEqualTo(PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  @Test
  @RemoteDiffers(RemoteDiffers.BUILDS)
  void volume_imageVolume_getsAnAnonymousVolume() throws Exception {
    Image withVolume = ImageBuilder.from("busybox").volume("/data").build(berth, "with-volume:1");
    var before = berth.volumes().stream().map(VolumeInfo::name).toList();
    try (Container c = withVolume.run("sh", "-c", "grep -c ' /data ' /proc/mounts")) {
      assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("1\n");
      c.waitFor();
    }
    assertThat(berth.volumes()).extracting(VolumeInfo::name)
        .anyMatch(n -> n.matches("[0-9a-f]{64}") && !before.contains(n));
  }

  @Test
  @RemoteDiffers(RemoteDiffers.BUILDS)
  void volume_ofLayeredImage_isFilledFromTheMergedLayersWithOwners() throws Exception {
    Image layered = ImageBuilder.from("busybox")
        .run("sh", "-c", "mkdir /seeded && echo seed > /seeded/f && chown 1000:1000 /seeded/f"
            + " && echo gone > /seeded/removed")
        .run("rm", "/seeded/removed")
        .volume("/seeded").build(berth, "layered-volume:1");
    try (Container c = layered.run("sh", "-c",
        "cat /seeded/f; stat -c '%u:%g' /seeded/f; ls /seeded; grep -c ' /seeded ' /proc/mounts")) {
      assertThat(new String(c.getInputStream().readAllBytes()))
          .isEqualTo("seed\n1000:1000\nf\n1\n");
      c.waitFor();
    }
  }

  @Test
  void tmpfsAndVolume_withReadOnlyRoot_stayWritable() throws Exception {
    String out = run(RunOptions.builder().readOnlyRootfs(true).tmpfs("/scratch", 0, 01777)
            .volume("rw-on-ro", "/data"),
        "echo a > /scratch/a && echo b > /data/b && echo ok; echo c > /etc/c");
    assertThat(out).startsWith("ok\n").contains("Read-only file system");
  }

  @Test
  @RemoteDiffers(RemoteDiffers.BUILDS)
  void volume_imageVolumeCoveredByBind_getsNoVolume(@TempDir Path dir) throws Exception {
    Image withVolume = ImageBuilder.from("busybox").volume("/data").build(berth, "with-volume:2");
    int before = berth.volumes().size();
    try (Container c = withVolume.run(RunOptions.builder().bind(dir, "/data", false)
        .command("sh", "-c", "echo via-bind > /data/x").build())) {
      c.waitFor();
    }
    assertThat(dir.resolve("x")).hasContent("via-bind");
    assertThat(berth.volumes()).hasSize(before);
  }

  @Test
  void volume_anonymousWithAutoRemove_isRemovedWithTheContainer() throws Exception {
    int before = berth.volumes().size();
    try (Container c = busybox.run(RunOptions.builder().volume("/scratch").autoRemove(true)
        .command("sh", "-c", "sleep 60").build())) {
      assertThat(berth.volumes()).hasSize(before + 1);
    }
    assertThat(berth.volumes()).hasSize(before);
  }

  @Test
  @RemoteDiffers(RemoteDiffers.LOCAL_HOME)
  void volume_anonymousWithAutoRemove_isGoneAfterTheMonitorRemovedTheContainer()
      throws Exception {
    int before = berth.volumes().size();
    Container c = busybox.run(RunOptions.builder().volume("/scratch").autoRemove(true)
        .command("true").build());
    c.waitFor();
    awaitGone(c.id());
    assertThat(berth.volumes()).hasSize(before);
  }

  private static void awaitGone(String id) throws InterruptedException {
    for (int i = 0; i < 200 && Files.exists(home.resolve("containers").resolve(id)); i++) {
      Thread.sleep(25);
    }
  }

  @Test
  void tmpfs_sizeAndMode_areApplied() throws Exception {
    String out = run(RunOptions.builder().tmpfs("/scratch", 4L << 20, 01770),
        "df -k /scratch | tail -1 | awk '{print $1, $2}'; stat -c %a /scratch");
    assertThat(out).isEqualTo("tmpfs 4096\n1770\n");
  }

  @Test
  @RemoteDiffers(value = RemoteDiffers.ENGINE_WORDS, on = "podman")
  void removeVolume_usedByStoppedContainer_isRefusedNamingIt() throws Exception {
    berth.createVolume("busy");
    try (Container c = busybox.run(RunOptions.builder().volume("busy", "/v").name("user-of-busy")
        .command("true").build())) {
      c.waitFor();
      assertThatThrownBy(() -> berth.removeVolume("busy", false))
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("volume busy is in use by container user-of-busy");
      assertThat(berth.volumes()).extracting(VolumeInfo::name).contains("busy");
    }
  }

  @Test
  @RemoteDiffers(value = "podman's service refuses to remove a volume in use even when forced (so"
      + " does Docker)", on = "podman")
  void removeVolume_usedWithForce_isRemoved() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().volume("forced", "/v")
        .command("sleep", "60").build())) {
      berth.removeVolume("forced", true);
      assertThat(berth.volumes()).extracting(VolumeInfo::name).doesNotContain("forced");
      assertThat(home.resolve("volumes/forced")).doesNotExist();
    }
  }

  @Test
  void removeVolume_unknown_throwsNoSuchVolume() {
    assertThatThrownBy(() -> berth.removeVolume("never-made", false))
        .isInstanceOf(BerthException.class).hasMessage("No such volume: never-made");
  }

  @Test
  void pruneVolumes_removesOnlyThoseNoContainerUses() throws Exception {
    berth.createVolume("unused-one");
    try (Container c = busybox.run(RunOptions.builder().volume("kept-one", "/v")
        .command("true").build())) {
      c.waitFor();
      assertThat(berth.pruneVolumes()).contains("unused-one").doesNotContain("kept-one");
      assertThat(berth.volumes()).extracting(VolumeInfo::name)
          .contains("kept-one").doesNotContain("unused-one");
    }
  }

  @Test
  void createVolume_invalidName_throwsNamingIt() {
    assertThatThrownBy(() -> berth.createVolume("no/slashes"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'no/slashes'");
  }

  // ---- docker cp ---------------------------------------------------------------------------

  @Test
  void copyToAndFrom_directoryTree_roundTripsWithModes(@TempDir Path dir) throws Exception {
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("sub"));
    Files.writeString(tree.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(tree.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.writeString(tree.resolve("sub/data.txt"), "data");
    Files.createSymbolicLink(tree.resolve("link"), Path.of("sub/data.txt"));
    try (Container c = running("mkdir /dest")) {
      c.copyTo(tree, "/dest");
      assertThat(c.exec("sh", "-c", "/dest/tree/run.sh; stat -c '%a %u' /dest/tree/run.sh;"
          + " cat /dest/tree/link").stdout()).isEqualTo("hi\n750 0\ndata");
      c.copyFrom("/dest/tree", dir.resolve("back"));
    }
    assertThat(dir.resolve("back/sub/data.txt")).hasContent("data");
    assertThat(Files.getPosixFilePermissions(dir.resolve("back/run.sh")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(Files.readSymbolicLink(dir.resolve("back/link"))).isEqualTo(Path.of("sub/data.txt"));
  }

  @Test
  void copyTo_throughSymlinkToRoot_writesInsideTheContainerNotTheHost(@TempDir Path dir)
      throws Exception {
    Path src = Files.writeString(dir.resolve("payload"), "payload");
    Path hostDir = Files.createDirectories(dir.resolve("target"));
    try (Container c = running("ln -s / /escape && mkdir -p " + hostDir)) {
      c.copyTo(src, "/escape" + hostDir + "/written");
      assertThat(hostDir.resolve("written")).doesNotExist();
      assertThat(c.exec("cat", hostDir + "/written").stdout()).isEqualTo("payload");
    }
  }

  @Test
  void copyFrom_throughSymlinkToRoot_readsTheContainersFileNotTheHosts(@TempDir Path dir)
      throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "host secret");
    try (Container c = running("ln -s / /escape && mkdir -p " + dir
        + " && echo container > " + secret)) {
      c.copyFrom("/escape" + secret, dir.resolve("got"));
    }
    assertThat(dir.resolve("got")).hasContent("container");
  }

  @Test
  void copyFrom_symlinkedParentToHostOnlyPath_findsNothing(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "host secret");
    try (Container c = running("ln -s / /escape")) {
      assertThatThrownBy(() -> c.copyFrom("/escape" + secret, dir.resolve("got")))
          .isInstanceOf(BerthException.class).hasMessageContaining("/escape" + dir);
    }
    assertThat(dir.resolve("got")).doesNotExist();
  }

  @Test
  void copyTo_stoppedContainer_isReadBackWithCopyFrom(@TempDir Path dir) throws Exception {
    Path src = Files.writeString(dir.resolve("note"), "while stopped");
    try (Container c = busybox.run("true")) {
      c.waitFor();
      c.copyTo(src, "/etc/note");
      c.copyFrom("/etc/note", dir.resolve("back"));
      c.copyFrom("/etc/passwd", dir.resolve("passwd"));
    }
    assertThat(dir.resolve("back")).hasContent("while stopped");
    assertThat(dir.resolve("passwd")).content().startsWith("root:");
  }

  @Test
  void copyFrom_missingPath_throwsNamingIt(@TempDir Path dir) throws Exception {
    try (Container c = running("true")) {
      assertThatThrownBy(() -> c.copyFrom("/no/such", dir.resolve("x")))
          .isInstanceOf(BerthException.class).hasMessageContaining("/no/such");
    }
  }

  @Test
  void copyTo_missingHostPath_throwsNamingIt(@TempDir Path dir) throws Exception {
    try (Container c = running("true")) {
      assertThatThrownBy(() -> c.copyTo(dir.resolve("gone"), "/tmp"))
          .isInstanceOf(BerthException.class)
          .hasMessageContaining(dir.resolve("gone") + " into container")
          .hasMessageContaining("no such file or directory on the host");
    }
  }

  @Test
  void copyTo_relativeContainerPath_isRefused(@TempDir Path dir) throws Exception {
    Path src = Files.writeString(dir.resolve("f"), "x");
    try (Container c = running("true")) {
      assertThatThrownBy(() -> c.copyTo(src, "tmp"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tmp' must be absolute");
    }
  }
}
