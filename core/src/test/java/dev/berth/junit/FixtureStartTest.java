package dev.berth.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.Berth;
import dev.berth.ContainerInfo;
import dev.berth.testsupport.FixtureEngines;
import dev.berth.testsupport.RemoteDiffers;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** {@link Fixture#start(Berth)} with the busybox test image: waits, failures, the handle. */
@EnabledIf(value = "dev.berth.testsupport.FixtureEngines#runsContainers",
    disabledReason = FixtureEngines.NOT_HERE)
class FixtureStartTest {
  static Berth engine;

  @BeforeAll
  static void engine() {
    engine = FixtureEngines.with("busybox");
  }

  private static Fixture.Builder busybox(String script) {
    return Fixture.builder("busybox").command("sh", "-c", script)
        .startupTimeout(Duration.ofSeconds(20));
  }

  @Test
  void start_logWait_returnsOnceTheLineIsLogged() {
    Fixture f = busybox("sleep 0.3; echo server is ready; sleep 60")
        .waitingFor(Wait.forLogMessage("is ready$", 1)).build();
    try (RunningFixture running = f.start(engine)) {
      assertThat(running.logs()).contains("server is ready");
    }
  }

  @Test
  void start_logWaitForTheSecondTime_waitsForTheSecondLine() {
    Fixture f = busybox("echo ready; sleep 0.3; echo ready again; sleep 60")
        .waitingFor(Wait.forLogMessage("^ready", 2)).build();
    try (RunningFixture running = f.start(engine)) {
      assertThat(running.logs()).contains("ready again");
    }
  }

  @Test
  void start_commandWait_returnsOnceTheCommandSucceeds() {
    Fixture f = busybox("sleep 0.3; touch /tmp/up; sleep 60")
        .waitingFor(Wait.forCommand("test", "-e", "/tmp/up")).build();
    try (RunningFixture running = f.start(engine)) {
      assertThat(running.exec("test", "-e", "/tmp/up").exitCode()).isZero();
    }
  }

  @Test
  void start_listeningPortWait_returnsOnceAProcessListensInTheContainer() {
    Fixture f = busybox("sleep 0.3; exec nc -l -p 8081")
        .waitingFor(Wait.forListeningPort(8081)).build();
    try (RunningFixture running = f.start(engine)) {
      assertThat(Readiness.listening(running, 8081)).isTrue();
    }
  }

  @Test
  void start_httpWait_returnsOnceThePathAnswersTheStatus() throws Exception {
    Fixture f = busybox("mkdir /www; sleep 0.3; echo ok > /www/health; exec httpd -f -p 8080 -h /www")
        .publish(8080).waitingFor(Wait.forHttp(8080, "/health", 200)).build();
    try (RunningFixture running = f.start(engine)) {
      var url = java.net.URI.create("http://" + running.host() + ":" + running.hostPort(8080)
          + "/health").toURL();
      assertThat(new String(url.openStream().readAllBytes())).isEqualTo("ok\n");
    }
  }

  @Test
  void start_httpWaitForAPathThatIsMissing_timesOutNamingTheRequest() {
    Fixture f = busybox("mkdir /www; exec httpd -f -p 8080 -h /www").publish(8080)
        .waitingFor(Wait.forHttp(8080, "/health", 200).withTimeout(Duration.ofMillis(500)))
        .build();
    assertThatThrownBy(() -> f.start(engine))
        .isInstanceOf(FixtureStartException.class)
        .hasMessageContaining("timed out waiting for GET :8080/health answering 200");
  }

  @Test
  void start_publishedPort_isReachableOnTheHost() throws Exception {
    Fixture f = busybox("echo hello | nc -l -p 7000").publish(7000).build();
    try (RunningFixture running = f.start(engine);
        java.net.Socket s = new java.net.Socket(running.host(), running.hostPort(7000))) {
      assertThat(new String(s.getInputStream().readAllBytes())).isEqualTo("hello\n");
    }
  }

  @Test
  @RemoteDiffers(value = RemoteDiffers.NO_DNS, on = "podman")
  void start_twoFixturesOnANetwork_reachEachOtherByAlias() throws Exception {
    String whyNot = engine.info().networkModesUnavailable().get("user-defined");
    assumeTrue(whyNot == null, () -> "no user-defined networks here: " + whyNot);
    String net = "berth-fixture-test-" + ProcessHandle.current().pid();
    engine.createNetwork(net);
    // nc's stdin stays open: busybox nc -l ends the connection at its stdin's end, which with
    // /dev/null can come before the client's line does (an empty log, seen once in 8 runs)
    try (RunningFixture server = busybox("sleep 60 | nc -l -p 7000").network(net)
            .networkAlias("db")
            .waitingFor(Wait.forListeningPort(7000)).build().start(engine);
        RunningFixture client = busybox("echo hello db | nc db 7000; sleep 60").network(net)
            .build().start(engine)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!server.logs().contains("hello db") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(server.logs()).as(() -> "the server's logs; the client's: " + client.logs()
          + "; the server: " + server.container().inspect().status()).contains("hello db");
    } finally {
      engine.removeNetwork(net, true);
    }
  }

  @Test
  void start_anyOf_returnsWhenOneHolds() {
    Fixture f = busybox("echo up; sleep 60")
        .waitingFor(Wait.anyOf(Wait.forLogMessage("never", 1), Wait.forLogMessage("up", 1)))
        .build();
    try (RunningFixture running = f.start(engine)) {
      assertThat(running.container().isAlive()).isTrue();
    }
  }

  @Test
  void start_processExits_failsWithExitCodeAndLastLogLines() {
    Fixture f = busybox("echo starting; echo 'FATAL: no config' >&2; exit 3")
        .waitingFor(Wait.forLogMessage("ready", 1)).build();
    assertThatThrownBy(() -> f.start(engine))
        .isInstanceOf(FixtureStartException.class)
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("FATAL: no config")
        .hasMessageContaining("log line matching /ready/");
  }

  @Test
  void start_waitTimesOut_failsNamingTheWaitAndRemovesTheContainer() {
    Fixture f = busybox("echo ready 1; sleep 60")
        .waitingFor(Wait.forLogMessage("ready", 2).withTimeout(Duration.ofMillis(400)))
        .build();
    assertThatThrownBy(() -> f.start(engine))
        .isInstanceOf(FixtureStartException.class)
        .hasMessageContaining("timed out waiting for log line matching /ready/ 2 times (seen 1 of 2)")
        .hasMessageContaining("still running")
        .hasMessageContaining("ready 1");
    assertThat(engine.containers(true)).noneMatch(i -> i.command().contains("echo ready 1; sleep 60"));
  }

  @Test
  void start_missingWaitCommand_failsWithTheExecError() {
    Fixture f = busybox("sleep 60").waitingFor(Wait.forCommand("pg_isready")).build();
    assertThatThrownBy(() -> f.start(engine))
        .isInstanceOf(FixtureStartException.class)
        .hasMessageContaining("pg_isready");
  }

  @Test
  void start_unknownImage_throwsImageNotFound() {
    String registry = FixtureEngines.registryHost();
    Fixture f = Fixture.builder(registry + "/no-such-image-here").build();
    assertThatThrownBy(() -> f.start(engine)).isInstanceOf(dev.berth.ImageNotFoundException.class);
  }

  @Test
  void hostPort_ofAPortNotPublished_isRefusedNamingThePublishedOnes() {
    try (RunningFixture running = busybox("sleep 60").build().start(engine)) {
      assertThatThrownBy(() -> running.hostPort(5432))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not publish port 5432")
          .hasMessageContaining("publish(5432)");
    }
  }

  @Test
  void close_removesTheContainer() {
    RunningFixture running = busybox("sleep 60").build().start(engine);
    String id = running.container().id();
    running.close();
    assertThat(engine.containers(true)).extracting(ContainerInfo::id).doesNotContain(id);
  }

  @Test
  void start_reuse_secondStartFindsTheRunningContainer() {
    Fixture f = busybox("sleep 60; echo " + System.nanoTime()).reuse(true).build();
    RunningFixture first = f.start(engine);
    try {
      RunningFixture second = f.start(engine);
      assertThat(second.wasReused()).isTrue();
      assertThat(second.container().id()).isEqualTo(first.container().id());
      second.close();
      assertThat(first.container().isAlive()).isTrue();
    } finally {
      first.container().remove(true);
    }
  }
}
