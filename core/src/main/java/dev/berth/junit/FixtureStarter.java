package dev.berth.junit;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.Container;
import dev.berth.ContainerInfo;
import dev.berth.RunOptions;
import dev.berth.RunOptionsBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Starts a fixture's container (or finds the reused one) and waits until it is ready. */
final class FixtureStarter {
  /** The label every fixture container carries: the image it was defined with. */
  static final String LABEL = "dev.berth.fixture";
  /** The label of a reused container: its definition hash. */
  static final String REUSE_LABEL = "dev.berth.fixture.reuse";
  private static final int LOG_LINES = 30;

  private FixtureStarter() {}

  static RunningFixture start(Fixture fixture, Berth engine) {
    long deadline = System.nanoTime() + fixture.startupTimeout().toNanos();
    Optional<Container> reusable = fixture.reuse() ? findReusable(fixture, engine)
        : Optional.empty();
    Container container = reusable.orElseGet(() -> engine.run(fixture.image(), options(fixture)));
    dev.berth.HostInfo info = engine.info();
    RunningFixture running = new RunningFixture(fixture, container, reusable.isPresent(),
        info.publishedPortHost(), info.engine().equals("local"));
    try {
      Readiness.await(fixture.waitStrategy(), running, deadline);
      return running;
    } catch (Readiness.NotReady e) {
      throw failed(fixture, container, e.getMessage(), null);
    } catch (RuntimeException e) {
      throw failed(fixture, container, e.getMessage(), e);
    }
  }

  static RunOptions options(Fixture fixture) {
    RunOptionsBuilder b = fixture.options().toBuilder()
        .detach(true)
        // a test run that is killed must not leave its containers running; reused ones must
        .removeWithJvm(!fixture.reuse())
        .label(LABEL, fixture.image());
    if (fixture.reuse()) {
      String hash = fixture.definitionHash();
      b.label(REUSE_LABEL, hash).name("berth-fixture-" + hash.substring(0, 16));
    }
    return b.build();
  }

  private static Optional<Container> findReusable(Fixture fixture, Berth engine) {
    String hash = fixture.definitionHash();
    return engine.containers(false).stream()
        .filter(i -> hash.equals(i.labels().get(REUSE_LABEL)))
        .findFirst()
        .map(i -> engine.container(i.id()));
  }

  /** Removes the container and says why, with its status and last log lines. */
  private static FixtureStartException failed(Fixture fixture, Container container, String why,
      Throwable cause) {
    String status = status(container);
    String logs = lastLines(container.logs(), LOG_LINES);
    try {
      container.remove(true);
    } catch (BerthException e) {
      // the failure to report is the start's; the container will be pruned with the others
    }
    String message = "Fixture " + fixture.image() + " (container " + container.name() + ", "
        + status + ") did not become ready within " + human(fixture.startupTimeout()) + ": "
        + why + "\n" + (logs.isEmpty() ? "It wrote no log lines."
        : "Its last log lines:\n" + logs);
    return new FixtureStartException(message, cause);
  }

  private static String status(Container container) {
    try {
      ContainerInfo info = container.inspect();
      return info.isRunning() ? "still running" : "exited with code " + info.exitCode();
    } catch (BerthException e) {
      return "status unknown: " + e.getMessage();
    }
  }

  static String lastLines(String text, int n) {
    List<String> lines = Arrays.asList(text.split("\n"));
    if (text.isEmpty()) {
      return "";
    }
    return "  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
