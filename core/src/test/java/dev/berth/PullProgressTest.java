package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.PullProgress.Status;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull progress: per layer, the steps Docker prints, in Docker's order. */
class PullProgressTest {
  @TempDir Path home;
  private TestRegistry reg;

  @BeforeEach
  void registry() {
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
    reg = Registries.plainWith("node");
  }

  @Test
  void pull_intoEmptyStore_reportsEachLayerInDockersOrder() {
    try (Berth berth = Registries.engine(home, reg)) {
      List<PullProgress> events = new CopyOnWriteArrayList<>();
      Image node = berth.pull("node", events::add);
      Map<Digest, List<Status>> steps = stepsPerLayer(events);
      assertThat(steps.keySet()).hasSize(node.record().layerDigests().size());
      steps.values().forEach(s -> assertThat(s).containsExactly(Status.WAITING,
          Status.DOWNLOADING, Status.VERIFYING, Status.EXTRACTING, Status.PULL_COMPLETE));
    }
  }

  @Test
  void pull_ofStoredImage_reportsEachLayerAsAlreadyExisting() {
    try (Berth berth = Registries.engine(home, reg)) {
      berth.pull("node");
      List<PullProgress> events = new CopyOnWriteArrayList<>();
      berth.pull("node", events::add);
      stepsPerLayer(events).values()
          .forEach(s -> assertThat(s).containsExactly(Status.ALREADY_EXISTS));
    }
  }

  @Test
  void pull_imageLevelEvents_startWithResolvingAndEndWithDone() {
    try (Berth berth = Registries.engine(home, reg)) {
      List<PullProgress> events = new CopyOnWriteArrayList<>();
      berth.pull("node", events::add);
      assertThat(events.get(0).status()).isEqualTo(Status.RESOLVING);
      assertThat(events.get(events.size() - 1).status()).isEqualTo(Status.DONE);
    }
  }

  /** Each layer's steps in order, repeated DOWNLOADING updates counted once. */
  private static Map<Digest, List<Status>> stepsPerLayer(List<PullProgress> events) {
    Map<Digest, List<Status>> steps = new LinkedHashMap<>();
    for (PullProgress p : events) {
      if (p.layer() == null) {
        continue;
      }
      List<Status> s = steps.computeIfAbsent(p.layer(), k -> new ArrayList<>());
      if (s.isEmpty() || s.get(s.size() - 1) != p.status()) {
        s.add(p.status());
      }
    }
    return steps;
  }
}
