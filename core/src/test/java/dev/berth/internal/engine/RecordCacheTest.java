package dev.berth.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.ContainerInfo;
import dev.berth.HostInfo;
import dev.berth.RunOptions;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.StoredOptions;
import dev.berth.internal.store.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The list's cache over real container directories, written as Berth and the monitor write them
 * (a temp file renamed into place). {@code infoOf} stands in for the engine's liveness rules: it
 * counts how often an info is worked out.
 */
class RecordCacheTest {
  private static final String ID = "a".repeat(64);

  @TempDir Path containers;
  private ContainerFiles files;
  private final RecordCache cache = new RecordCache();
  private final AtomicInteger computed = new AtomicInteger();
  /** Whether {@code infoOf} finds the processes of a "running" state gone, as after kills. */
  private boolean processesGone;

  @BeforeEach
  void createContainer() throws IOException {
    files = new ContainerFiles(Files.createDirectories(containers.resolve(ID)));
    record("first").write(files);
  }

  @Test
  void settledInfo_isWorkedOutOnce_whileNothingChanges() {
    ContainerInfo first = list();
    ContainerInfo second = list();

    assertThat(first.state()).isEqualTo(ContainerInfo.State.CREATED);
    assertThat(second).isSameAs(first);
    assertThat(computed).hasValue(1);
  }

  @Test
  void stateWrittenByTheMonitor_isSeenByTheNextList() throws IOException {
    list();
    writeState("running");
    assertThat(list().state()).isEqualTo(ContainerInfo.State.RUNNING);
    writeState("exited");
    assertThat(list().state()).isEqualTo(ContainerInfo.State.EXITED);
  }

  @Test
  void runningContainer_isWorkedOutOnEveryList() throws IOException {
    writeState("running");
    list();
    list();
    assertThat(computed).hasValue(2);
  }

  @Test
  void runningStateWhoseProcessesAreGone_isJudgedOnEveryList() throws IOException {
    writeState("running"); // as a monitor killed before it could record the exit leaves it
    processesGone = true;
    assertThat(list().state()).isEqualTo(ContainerInfo.State.EXITED);
    list();
    assertThat(computed).hasValue(2);
  }

  @Test
  void renamedContainer_isListedUnderItsNewName() {
    list();
    record("second").write(files);
    assertThat(list().name()).isEqualTo("second");
  }

  @Test
  void stateReplacedInTheSameTickAsALateDirectoryChange_isStillSeen() throws IOException {
    // the directory changed just now: an unchanged time says nothing, so the files are looked at
    FileTime recent = FileTime.from(Instant.now());
    Files.setLastModifiedTime(files.dir(), recent);
    list();
    writeState("exited");
    Files.setLastModifiedTime(files.dir(), recent); // as if the rename fell in the same tick
    assertThat(list().state()).isEqualTo(ContainerInfo.State.EXITED);
  }

  @Test
  void directoryUnchangedSinceLongAgo_vouchesForItsFiles() throws IOException {
    FileTime old = FileTime.from(Instant.now().minusSeconds(60));
    Files.setLastModifiedTime(files.dir(), old);
    list();
    writeState("exited");
    Files.setLastModifiedTime(files.dir(), old); // no rename can leave an old time: none happened
    assertThat(list().state()).isEqualTo(ContainerInfo.State.CREATED);
    assertThat(computed).hasValue(1);
  }

  @Test
  void directoryWithoutRecord_isNotListed() throws IOException {
    Files.delete(files.record());
    assertThat(cache.info(files, this::infoOf)).isEmpty();
  }

  @Test
  void removedContainer_isForgotten() throws IOException {
    ContainerInfo before = list();
    cache.retainOnly(List.of());
    assertThat(list()).isNotSameAs(before);
    assertThat(computed).hasValue(2);
  }

  private ContainerInfo list() {
    return cache.info(files, this::infoOf).orElseThrow();
  }

  /** Running while the state says so, unless {@link #processesGone}; no process is looked at. */
  private ContainerInfo infoOf(RecordCache.Snapshot s) {
    computed.incrementAndGet();
    ContainerInfo.State state = s.state().isEmpty() ? ContainerInfo.State.CREATED
        : s.state().get().exited() || processesGone ? ContainerInfo.State.EXITED
        : ContainerInfo.State.RUNNING;
    ContainerRecord r = s.record();
    return PublicValues.get().containerInfo(r.id(), r.name(), r.image(), r.imageId(), r.argv(),
        Instant.parse(r.created()), state, 0, null, null, 0, false, List.of(), r.labels(),
        HostInfo.UserNamespace.NONE, HostInfo.RootfsMode.OVERLAY, r.runOptions(), r.env(),
        r.workingDir(), r.user(), r.hostname(), List.of());
  }

  private static ContainerRecord record(String name) {
    RunOptions opts = RunOptions.builder().command("true").build();
    return new ContainerRecord(ID, name, "busybox", "sha256:" + "b".repeat(64),
        "2026-12-01T10:00:00Z", List.of("true"), List.of(), "/", "", ID.substring(0, 12), Map.of(),
        List.of(), false, false, false, "boot", "private", List.of(), "NONE", "OVERLAY",
        StoredOptions.from(opts), null);
  }

  /** As the monitor writes it: a temp file renamed over state.json. */
  private void writeState(String status) throws IOException {
    boolean exited = status.equals("exited");
    String json = "{\"version\":1,\"status\":\"" + status + "\",\"pid\":1,\"monitorPid\":1,"
        + "\"startedAt\":\"2026-12-01T10:00:01Z\",\"finishedAt\":"
        + (exited ? "\"2026-12-01T10:00:02Z\"" : "null") + ",\"exitCode\":" + (exited ? "0" : "null")
        + ",\"oomKilled\":false}\n";
    FileTrees.writeAtomically(files.state(), json.getBytes(StandardCharsets.UTF_8), false);
  }
}
