package dev.berth.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.BerthException;
import dev.berth.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.berth.testsupport.ChildJvm;
import dev.berth.testsupport.StoreCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
  @TempDir Path home;

  private static final Digest D1 = Digest.sha256("a".repeat(64));
  private static final Digest D2 = Digest.sha256("b".repeat(64));

  @Test
  void open_createsTheLayoutDirectories() {
    try (Store store = Store.open(home)) {
      assertThat(store.layout().blobsDir()).isDirectory();
      assertThat(store.layout().layersDir()).isDirectory();
      assertThat(store.layout().containersDir()).isDirectory();
      assertThat(store.layout().tmpDir()).isDirectory();
    }
  }

  @Test
  void commitBlob_putsTheFileUnderItsDigestAndRemovesTheTemp() throws Exception {
    try (Store store = Store.open(home)) {
      Path tmp = store.newTempFile("t");
      Files.writeString(tmp, "content");
      store.commitBlob(tmp, D1);
      assertThat(store.hasBlob(D1)).isTrue();
      assertThat(new String(store.readBlob(D1))).isEqualTo("content");
      assertThat(tmp).doesNotExist();
      assertThat(home.resolve("blobs/sha256/" + D1.hex())).exists();
    }
  }

  @Test
  void commitLayer_twiceForTheSameChainId_keepsTheFirstAndDiscardsTheSecond() throws Exception {
    try (Store a = Store.open(home); Store b = Store.open(home)) {
      Path sa = a.newTempDir("l");
      Files.createDirectories(sa.resolve("diff"));
      Files.writeString(sa.resolve("diff/f"), "first");
      Path sb = b.newTempDir("l");
      Files.createDirectories(sb.resolve("diff"));
      Files.writeString(sb.resolve("diff/f"), "second");
      a.commitLayer(sa, new Store.LayerMeta(D1.toString(), D2.toString(), null, 5, "overlay"));
      b.commitLayer(sb, new Store.LayerMeta(D1.toString(), D2.toString(), null, 6, "overlay"));
      assertThat(a.hasLayer(D1)).isTrue();
      assertThat(Files.readString(a.layout().layerDiff(D1).resolve("f"))).isEqualTo("first");
      assertThat(sb).doesNotExist();
      assertThat(b.layerMeta(D1).orElseThrow().size()).isEqualTo(5);
    }
  }

  @Test
  void open_sweepsStagingDirsOfAStoreThatIsGone() throws Exception {
    Path dead = home.resolve("tmp/s-dead");
    Files.createDirectories(dead.resolve("half-written-layer"));
    Files.createFile(home.resolve("tmp/s-dead.lock"));
    try (Store store = Store.open(home)) {
      assertThat(dead).doesNotExist();
    }
  }

  @Test
  void open_sweepsWithTheGivenDeleter() throws Exception {
    Path dead = home.resolve("tmp/s-dead");
    Files.createDirectories(dead);
    Files.createFile(home.resolve("tmp/s-dead.lock"));
    List<Path> asked = new ArrayList<>();
    try (Store store = Store.open(home, asked::add)) {
      assertThat(asked).containsExactly(dead);
    }
  }

  @Test
  void open_leavesStagingDirsOfALiveStoreAlone() throws Exception {
    try (Store live = Store.open(home)) {
      Path staged = live.newTempDir("layer");
      try (Store other = Store.open(home)) {
        assertThat(staged).isDirectory();
      }
    }
  }

  @Test
  void open_sweepsAnOldStagingDirThatHasNoLockFile() throws Exception {
    Path orphan = home.resolve("tmp/s-orphan");
    Files.createDirectories(orphan);
    Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minusSeconds(3600)));
    try (Store store = Store.open(home)) {
      assertThat(orphan).doesNotExist();
    }
  }

  @Test
  void open_sweepsALockFileWhoseStagingDirIsGone() throws Exception {
    Path lock = home.resolve("tmp/s-dead.lock");
    Files.createDirectories(lock.getParent());
    Files.createFile(lock); // a JVM killed between locking and creating its dir
    try (Store store = Store.open(home)) {
      assertThat(lock).doesNotExist();
    }
  }

  @Test
  void open_leavesAHeldLockFileWithoutItsDirAlone() throws Exception {
    Path lock = home.resolve("tmp/s-opening.lock");
    try (StoreLock opening = StoreLock.acquire(lock); Store store = Store.open(home)) {
      assertThat(lock).exists(); // its owner is between locking and creating the dir
    }
  }

  @Test
  void close_removesItsStagingDirAndLockFile() throws Exception {
    Store store = Store.open(home);
    store.newTempDir("x");
    store.close();
    assertThat(StoreCheck.list(home.resolve("tmp"))).isEmpty();
  }

  @Test
  void jvmExitWithoutClose_removesItsStagingDirAndLockFile() throws Exception {
    Process child = ChildJvm.start(OpenStoreMain.class, home.toString());
    String out = new String(child.getInputStream().readAllBytes());
    assertThat(child.waitFor()).as(out).isZero();
    assertThat(out).contains("OPEN");
    assertThat(StoreCheck.list(home.resolve("tmp"))).isEmpty();
  }

  @Test
  void isClaimed_whileTheClaimingStoreIsOpen_andNotOnceItClosed() {
    try (Store other = Store.open(home)) {
      Store maker = Store.open(home);
      Store.Claim claim = maker.claim("container-x");
      assertThat(other.isClaimed("container-x")).isTrue();
      assertThat(maker.isClaimed("container-x")).isTrue();
      claim.close();
      assertThat(other.isClaimed("container-x")).isFalse();
      maker.claim("container-x");
      maker.close();
      assertThat(other.isClaimed("container-x")).isFalse();
    }
  }

  @Test
  void isClaimed_byAStoreWhoseLockIsFree_isFalse() throws Exception {
    try (Store store = Store.open(home)) {
      Path dead = home.resolve("tmp/s-dead");
      Files.createDirectories(dead);
      Files.createFile(dead.resolve("claim-container-x"));
      Files.createFile(home.resolve("tmp/s-dead.lock")); // a killed JVM's: nobody holds it
      assertThat(store.isClaimed("container-x")).isFalse();
    }
  }

  @Test
  void stage_movesTheTreeAsideInOneRename() throws Exception {
    try (Store store = Store.open(home)) {
      Path tree = home.resolve("containers/abc");
      Files.createDirectories(tree.resolve("upper"));
      Path staged = store.stage(tree).orElseThrow();
      assertThat(tree).doesNotExist();
      assertThat(staged.resolve("upper")).isDirectory();
      assertThat(staged.getParent().getParent()).isEqualTo(home.resolve("tmp"));
      assertThat(store.stage(tree)).as("gone: taken by another JVM").isEmpty();
    }
  }

  @Test
  void stage_afterTheSessionClosed_givesTheTreeToDeleteInPlace() throws Exception {
    Store store = Store.open(home);
    Path tree = home.resolve("containers/abc");
    Files.createDirectories(tree.resolve("upper"));
    store.close(); // as the JVM's exit hook does while another hook still removes containers
    assertThat(store.stage(tree)).as("still to delete, where it is").contains(tree);
    assertThat(tree.resolve("upper")).isDirectory();
  }

  @Test
  void close_removesItsOwnStagingArea() {
    Store store = Store.open(home);
    Path staged = store.newTempDir("x");
    store.close();
    assertThat(staged.getParent()).doesNotExist();
  }

  @Test
  void updateImages_fromManyThreads_losesNoUpdate() throws Exception {
    try (Store store = Store.open(home)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String id = "sha256:" + String.format("%064x", i);
        done.add(pool.submit(() -> store.updateImages(list -> {
          list.add(record(id));
          return list;
        })));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      assertThat(store.images()).hasSize(40);
    }
  }

  @Test
  void images_withACorruptIndex_throwsNamingTheFile() throws Exception {
    try (Store store = Store.open(home)) {
      Files.writeString(store.layout().imagesJson(), "{not json");
      assertThatThrownBy(store::images)
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("images.json");
    }
  }

  @Test
  void images_fromAnIndexWithFieldsOfANewerVersion_areRead() throws Exception {
    try (Store store = Store.open(home)) {
      Files.writeString(store.layout().imagesJson(), "{\"version\": 1, \"images\": [], \"addedLater\": true}");
      assertThat(store.images()).isEmpty();
    }
  }

  @Test
  void deleteRecursively_removesReadOnlyDirectories() throws Exception {
    Path tree = home.resolve("tree/sub");
    Files.createDirectories(tree);
    Files.writeString(tree.resolve("f"), "x");
    Files.setPosixFilePermissions(tree, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
    FileTrees.deleteRecursively(home.resolve("tree"));
    assertThat(home.resolve("tree")).doesNotExist();
  }

  private static ImageRecord record(String id) {
    return new ImageRecord(id, id, "application/vnd.oci.image.manifest.v1+json",
        List.of(), List.of(), List.of(), List.of(), List.of(), 0, null, "linux/amd64", null);
  }
}
