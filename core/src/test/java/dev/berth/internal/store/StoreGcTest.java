package dev.berth.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GC keeps what is in use or reserved by a live session, and removes the rest. */
class StoreGcTest {
  private static final byte[] CONTENT = "blob".getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST =
      Digest.sha256("fa2e2d1b0e6a5ba5b0f7d1a9dd9a3c2cd0a7a6a37c05a6b54a0dd3b7c3c1a1de");

  @TempDir Path home;

  @Test
  void collectGarbage_unusedBlob_isRemoved() {
    try (Store store = Store.open(home)) {
      store.putBlob(DIGEST, CONTENT);
      Store.Collected c = store.collectGarbage(Set::of);
      assertThat(c.blobs()).containsExactly(DIGEST);
      assertThat(store.hasBlob(DIGEST)).isFalse();
    }
  }

  @Test
  void collectGarbage_blobInUse_isKept() {
    try (Store store = Store.open(home)) {
      store.putBlob(DIGEST, CONTENT);
      store.collectGarbage(() -> Set.of(DIGEST));
      assertThat(store.hasBlob(DIGEST)).isTrue();
    }
  }

  @Test
  void collectGarbage_blobReservedByAnotherLiveSession_isKept() {
    try (Store puller = Store.open(home); Store gc = Store.open(home);
        Reservation r = puller.reserve(List.of(DIGEST))) {
      puller.putBlob(DIGEST, CONTENT);
      gc.collectGarbage(Set::of);
      assertThat(gc.hasBlob(DIGEST)).isTrue();
    }
  }

  @Test
  void collectGarbage_reservationReleased_removesTheBlob() {
    try (Store puller = Store.open(home); Store gc = Store.open(home)) {
      try (Reservation r = puller.reserve(List.of(DIGEST))) {
        puller.putBlob(DIGEST, CONTENT);
      }
      gc.collectGarbage(Set::of);
      assertThat(gc.hasBlob(DIGEST)).isFalse();
    }
  }

  @Test
  void collectGarbage_overlappingReservations_keepTheBlobUntilTheLastIsReleased() {
    // the second hold of a digest is counted in memory only; the session's file must still name
    // the digest until the last holder lets go (also when one holder names it twice)
    try (Store puller = Store.open(home); Store gc = Store.open(home)) {
      Reservation first = puller.reserve(List.of(DIGEST));
      Reservation second = puller.reserve(List.of(DIGEST, DIGEST));
      puller.putBlob(DIGEST, CONTENT);
      first.close();
      gc.collectGarbage(Set::of);
      assertThat(gc.hasBlob(DIGEST)).isTrue();
      second.close();
      gc.collectGarbage(Set::of);
      assertThat(gc.hasBlob(DIGEST)).isFalse();
    }
  }

  @Test
  void collectGarbage_releasedThenHeldAgain_isKept() {
    try (Store puller = Store.open(home); Store gc = Store.open(home)) {
      puller.reserve(List.of(DIGEST)).close();
      try (Reservation again = puller.reserve(List.of(DIGEST))) {
        puller.putBlob(DIGEST, CONTENT);
        gc.collectGarbage(Set::of);
        assertThat(gc.hasBlob(DIGEST)).isTrue();
      }
    }
  }

  @Test
  void collectGarbage_reservationOfADeadSession_isIgnored() throws IOException {
    try (Store store = Store.open(home)) {
      store.putBlob(DIGEST, CONTENT);
      // what a killed JVM leaves: a session dir with reservations, and a lock nobody holds
      Path dead = Files.createDirectories(home.resolve("tmp/s-dead"));
      Files.writeString(dead.resolve("reserved"), DIGEST + "\n");
      Files.createFile(home.resolve("tmp/s-dead.lock"));
      store.collectGarbage(Set::of);
      assertThat(store.hasBlob(DIGEST)).isFalse();
    }
  }

  @Test
  void collectGarbage_unusedLayer_isRemovedWhole() throws IOException {
    try (Store store = Store.open(home)) {
      Path staging = store.newTempDir("layer-");
      Files.writeString(Files.createDirectory(staging.resolve("diff")).resolve("f"), "x");
      store.commitLayer(staging, new Store.LayerMeta(DIGEST.toString(), DIGEST.toString(), null,
          1, "overlay"));
      store.collectGarbage(Set::of);
      assertThat(store.layout().layerDir(DIGEST)).doesNotExist();
    }
  }

  private static final Digest OTHER =
      Digest.sha256("0b9c2625dc21ef05f6ad4ddf47c5f203837aa32c4c1e6d6b5c1e2b2f5e3d4c10");

  @Test
  void reservationFile_isRewrittenInPlace_toExactlyWhatIsStillHeld() throws IOException {
    // written over in place (no temp file and rename): a shorter text must not leave the tail of
    // the longer one, or a released digest would stay reserved
    try (Store puller = Store.open(home); Store gc = Store.open(home)) {
      Reservation first = puller.reserve(List.of(DIGEST));
      Reservation second = puller.reserve(List.of(OTHER));
      Path file = reservationFile();
      assertThat(Files.readAllLines(file)).containsExactlyInAnyOrder(DIGEST.toString(), OTHER.toString());
      puller.putBlob(DIGEST, CONTENT);
      puller.putBlob(OTHER, CONTENT);

      first.close();
      assertThat(Files.readString(file)).isEqualTo(OTHER + "\n");
      gc.collectGarbage(Set::of);
      assertThat(gc.hasBlob(DIGEST)).isFalse();
      assertThat(gc.hasBlob(OTHER)).isTrue();

      second.close();
      assertThat(Files.readString(file)).isEmpty();
      try (Stream<Path> session = Files.list(file.getParent())) {
        assertThat(session).containsExactly(file); // no temp file beside it
      }
    }
  }

  @Test
  void collectGarbage_aLiveSessionsReservationFileThatIsNoList_failsNamingIt_andRemovesNothing() throws IOException {
    // what a write that failed part way (an I/O error) could leave while its session lives
    try (Store puller = Store.open(home); Store gc = Store.open(home);
        Reservation r = puller.reserve(List.of(DIGEST))) {
      puller.putBlob(OTHER, CONTENT);
      Path file = reservationFile();
      Files.writeString(file, DIGEST.toString().substring(0, 30) + "\n");

      assertThatThrownBy(() -> gc.collectGarbage(Set::of))
          .hasMessageContaining(file.toString()).hasMessageContaining("nothing was collected");
      assertThat(gc.hasBlob(OTHER)).isTrue();
    }
  }

  /** The one session file that holds reservations. */
  private Path reservationFile() throws IOException {
    try (Stream<Path> sessions = Files.list(home.resolve("tmp"))) {
      return sessions.map(s -> s.resolve("reserved")).filter(Files::isRegularFile).findFirst().orElseThrow();
    }
  }
}
