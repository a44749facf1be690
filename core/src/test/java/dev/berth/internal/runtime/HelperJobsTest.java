package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.BerthException;
import dev.berth.internal.linux.Linux;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper's file system jobs, run for real. As root the helper writes the maps itself, so
 * the jobs run here in a real user namespace with a made-up range; RootlessEndToEndTest runs
 * them unprivileged through newuidmap.
 */
class HelperJobsTest {
  private static final IdMapping MAPS = IdMapping.fullRange(0, 0, new SubIds.Range(300000, 65536), new SubIds.Range(300000, 65536));

  @TempDir Path tmp;
  private HelperJobs jobs;
  private Path root;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Linux.isRoot(), "needs root: the helper then writes a made-up id map itself");
    jobs = new HelperJobs(new HelperBinary(tmp.resolve("bin")).path(), MAPS, tmp.resolve("jobs"));
    root = Files.createDirectories(tmp.resolve("root"));
  }

  @Test
  void chown_subordinateIds_setsThoseIdsOnTheHost() throws Exception {
    Files.createDirectories(root.resolve("etc")).resolve("shadow").toFile().createNewFile();
    jobs.chown(root, List.of(new HelperJobs.Chown("etc/shadow", 300000, 300041)));
    assertThat(Files.getAttribute(root.resolve("etc/shadow"), "unix:uid")).isEqualTo(300000);
    assertThat(Files.getAttribute(root.resolve("etc/shadow"), "unix:gid")).isEqualTo(300041);
  }

  @Test
  void chown_setuidFile_keepsTheSetuidBit() throws Exception {
    Path su = Files.createFile(root.resolve("su"));
    Files.setAttribute(su, "unix:mode", 04755);
    jobs.chown(root, List.of(new HelperJobs.Chown("su", 300005, 300005)));
    assertThat((Integer) Files.getAttribute(su, "unix:mode") & 07777).isEqualTo(04755);
  }

  @Test
  void chown_symlink_changesTheLinkNotItsTarget() throws Exception {
    Path target = Files.createFile(root.resolve("target"));
    Files.createSymbolicLink(root.resolve("link"), Path.of("target"));
    jobs.chown(root, List.of(new HelperJobs.Chown("link", 300007, 300007)));
    assertThat(Files.getAttribute(root.resolve("link"), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(300007);
    assertThat(Files.getAttribute(target, "unix:uid")).isEqualTo(0);
  }

  @Test
  void chown_pathThroughSymlinkedDirectory_isRefused() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createFile(outside.resolve("f"));
    Files.createSymbolicLink(root.resolve("dir"), outside);
    assertThatThrownBy(() -> jobs.chown(root, List.of(new HelperJobs.Chown("dir/f", 300001, 300001))))
        .isInstanceOf(BerthException.class).hasMessageContaining("open the directory of dir/f");
    assertThat(Files.getAttribute(outside.resolve("f"), "unix:uid")).isEqualTo(0);
  }

  @Test
  void chown_idOutsideTheMaps_throwsNamingTheIds() throws Exception {
    Files.createFile(root.resolve("f"));
    assertThatThrownBy(() -> jobs.chown(root, List.of(new HelperJobs.Chown("f", 5, 5))))
        .isInstanceOf(BerthException.class).hasMessageContaining("chown f to 5:5: the id maps do not cover these ids");
  }

  @Test
  void chown_pathClimbingOutOfTheRoot_isRefusedByTheHelper() {
    assertThatThrownBy(() -> jobs.chown(root, List.of(new HelperJobs.Chown("../x", 300001, 300001))))
        .isInstanceOf(BerthException.class).hasMessageContaining("must be relative, inside job.root");
  }

  @Test
  void removeTree_readOnlyTreeOfSubordinateOwners_isGone() throws Exception {
    Path tree = Files.createDirectories(root.resolve("c/upper/deep"));
    Files.createFile(tree.resolve("f"));
    jobs.chown(root, List.of(new HelperJobs.Chown("c/upper/deep/f", 300999, 300999),
        new HelperJobs.Chown("c/upper/deep", 300999, 300999)));
    Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("r-x------"));
    jobs.removeTree(root.resolve("c"));
    assertThat(root.resolve("c")).doesNotExist();
  }

  @Test
  void removeTree_missingTree_isNoError() {
    jobs.removeTree(root.resolve("absent"));
    assertThat(root.resolve("absent")).doesNotExist();
  }

  @Test
  void newJobs_hostMapping_isRefused() {
    assertThatThrownBy(() -> new HelperJobs(Path.of("/h"), IdMapping.host(), tmp))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root needs none");
  }

  @Test
  void singleMapping_chown_isRefused() {
    HelperJobs single = new HelperJobs(Path.of("/h"), IdMapping.single(1000, 1000), tmp);
    assertThatThrownBy(() -> single.chown(tmp, List.of(new HelperJobs.Chown("x", 1, 1))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("need a full-range id mapping");
  }
}
