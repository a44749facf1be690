package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run -v/--tmpfs/--read-only and volume create/ls/rm/prune/inspect, as Docker. */
class VolumeVerbsTest {
  @TempDir Path home;
  @TempDir Path host;
  private Cli cli;

  @BeforeEach
  void setUp() {
    Assume.rootAndRegistry();
    cli = new Cli(home);
  }

  @AfterEach
  void removeContainers() {
    if (cli != null) {
      cli.removeAllContainers();
    }
  }

  @Test
  void run_bindMount_containerWritesTheHostDirectory() throws IOException {
    Cli.Result r = cli.berth("run", "-v", host + ":/data", "busybox", "sh", "-c",
        "echo hi > /data/f");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(Files.readString(host.resolve("f"))).isEqualTo("hi\n");
  }

  @Test
  void run_bindMountReadOnly_writeFails() {
    Cli.Result r = cli.berth("run", "-v", host + ":/data:ro", "busybox", "sh", "-c",
        "echo hi > /data/f");
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr()).contains("Read-only file system");
    assertThat(host.resolve("f")).doesNotExist();
  }

  @Test
  void run_bindMountReadOnly_readsTheHostFile() throws IOException {
    Files.writeString(host.resolve("f"), "from host\n");
    Cli.Result r = cli.berth("run", "-v", host + ":/data:ro", "busybox", "cat", "/data/f");
    assertThat(r.stdout()).as(r.toString()).isEqualTo("from host\n");
  }

  @Test
  void run_bindMissingHostPath_exits125NamingIt_createsNoContainer() {
    Cli.Result r = cli.berth("run", "-v", host.resolve("nothere") + ":/data", "busybox", "true");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).contains("nothere").contains("does not exist");
    assertThat(cli.berth("ps", "-a", "-q").stdout()).isEmpty();
  }

  @Test
  void run_volumeUnknownMode_exits125NamingTheSpec() {
    Cli.Result r = cli.berth("run", "-v", host + ":/data:rx", "busybox", "true");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).contains("invalid volume specification").contains("'rx'");
  }

  @Test
  void run_volumeRelativeTarget_exits125() {
    Cli.Result r = cli.berth("run", "-v", "myvol:data", "busybox", "true");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).contains("myvol:data");
  }

  @Test
  void run_invalidVolumeName_exits125() {
    Cli.Result r = cli.berth("run", "-v", "bad$name:/data", "busybox", "true");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).contains("invalid volume name 'bad$name'");
  }

  @Test
  void run_namedVolume_keepsFilesForTheNextContainer() {
    cli.berth("run", "-v", "keep:/data", "busybox", "sh", "-c", "echo kept > /data/f");
    Cli.Result r = cli.berth("run", "--rm", "-v", "keep:/data", "busybox", "cat", "/data/f");
    assertThat(r.stdout()).as(r.toString()).isEqualTo("kept\n");
  }

  @Test
  void run_namedVolumeReadOnly_writeFails() {
    Cli.Result r = cli.berth("run", "-v", "keep:/data:ro", "busybox", "touch", "/data/f");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("Read-only file system");
  }

  @Test
  void run_anonymousVolume_isListedWithAHexName() {
    cli.berth("run", "-v", "/data", "busybox", "touch", "/data/f");
    assertThat(cli.berth("volume", "ls", "-q").stdout()).matches("[0-9a-f]{64}\n");
  }

  @Test
  void run_tmpfs_mountsATmpfsOfThatSize() {
    Cli.Result r = cli.berth("run", "--tmpfs", "/scratch:size=1m,mode=700", "busybox", "sh", "-c",
        "grep ' /scratch ' /proc/mounts; stat -c %a /scratch");
    assertThat(r.stdout()).as(r.toString()).containsPattern("tmpfs /scratch tmpfs .*size=1024k")
        .endsWith("\n700\n");
  }

  @Test
  void run_tmpfsUnknownOption_exits125NamingIt() {
    Cli.Result r = cli.berth("run", "--tmpfs", "/scratch:frob", "busybox", "true");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).contains("'frob'");
  }

  @Test
  void run_readOnly_rootWriteFails() {
    Cli.Result r = cli.berth("run", "--read-only", "busybox", "touch", "/f");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("Read-only file system");
  }

  @Test
  void run_capDrop_takesTheCapabilityAway() {
    Cli.Result r = cli.berth("run", "--cap-drop", "CHOWN", "busybox", "chown", "1:1", "/tmp");
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr()).contains("Operation not permitted");
  }

  @Test
  void volumeCreate_printsTheName_andLsShowsDockersColumns() {
    assertThat(cli.berth("volume", "create", "myvol").stdout()).isEqualTo("myvol\n");
    assertThat(cli.berth("volume", "ls").stdout())
        .isEqualTo("DRIVER    VOLUME NAME\nlocal     myvol\n");
  }

  @Test
  void volumeCreate_withoutName_makesAHexName() {
    assertThat(cli.berth("volume", "create").stdout()).matches("[0-9a-f]{64}\n");
  }

  @Test
  void volumeCreate_invalidName_exits1SayingWhatIsAllowed() {
    Cli.Result r = cli.berth("volume", "create", "a/b");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("Error: invalid volume name 'a/b'");
  }

  @Test
  void volumeRm_removesIt() {
    cli.berth("volume", "create", "gone");
    assertThat(cli.berth("volume", "rm", "gone").stdout()).isEqualTo("gone\n");
    assertThat(cli.berth("volume", "ls", "-q").stdout()).isEmpty();
  }

  @Test
  void volumeRm_unknown_exits1() {
    Cli.Result r = cli.berth("volume", "rm", "nothere");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("Error: ").contains("nothere");
  }

  @Test
  void volumeRm_inUse_exits1_andForceRemovesIt() {
    cli.berth("run", "--name", "user", "-v", "busy:/data", "busybox", "true");
    Cli.Result refused = cli.berth("volume", "rm", "busy");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).contains("busy");
    assertThat(cli.berth("volume", "rm", "-f", "busy").exitCode()).isZero();
    assertThat(cli.berth("volume", "ls", "-q").stdout()).isEmpty();
  }

  @Test
  void volumePrune_removesOnlyUnusedVolumes() {
    cli.berth("volume", "create", "free");
    cli.berth("run", "-v", "used:/data", "busybox", "true");
    Cli.Result r = cli.berth("volume", "prune", "-f");
    assertThat(r.stdout()).as(r.toString()).isEqualTo("Deleted Volumes:\nfree\n");
    assertThat(cli.berth("volume", "ls", "-q").stdout()).isEqualTo("used\n");
  }

  @Test
  void volumeInspect_printsDockersFields() throws IOException {
    cli.berth("volume", "create", "seen");
    Cli.Result r = cli.berth("volume", "inspect", "seen");
    JsonNode v = new ObjectMapper().readTree(r.stdout()).get(0);
    assertThat(v.get("Name").asText()).isEqualTo("seen");
    assertThat(v.get("Driver").asText()).isEqualTo("local");
    assertThat(Path.of(v.get("Mountpoint").asText())).isDirectory().startsWith(home);
  }

  @Test
  void volumeInspect_unknown_printsEmptyArrayAndExits1() {
    Cli.Result r = cli.berth("volume", "inspect", "nothere");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEqualTo("[]\n");
    assertThat(r.stderr()).isEqualTo("Error: No such volume: nothere\n");
  }
}
