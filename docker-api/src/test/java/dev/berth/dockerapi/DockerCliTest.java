package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.Berth;
import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code docker} CLI 28 drives an in-JVM Berth through its socket: Docker's verbs with
 * their output, exit codes and errors, judged by the client itself.
 */
class DockerCliTest {
  @TempDir static Path dir;
  static Berth berth;
  static DockerApi api;
  static DockerCli docker;

  @BeforeAll
  static void serve() {
    assumeTrue(Linux.isRoot(), "containers through the API run as root here; rootless is"
        + " covered by core's RootlessTest");
    TestRegistry registry = Registries.plainWith("busybox");
    berth = Registries.engine(dir.resolve("home"), registry);
    api = DockerApi.serve(berth, dir.resolve("docker.sock"));
    docker = new DockerCli(api.dockerHost(), dir.resolve("docker-config"));
    docker.ok("pull", "busybox");
  }

  @AfterAll
  static void close() {
    if (api != null) {
      api.close();
    }
    if (berth != null) {
      berth.containers(true).forEach(c -> berth.container(c.id()).remove(true));
      berth.close();
    }
  }

  @Test
  void version_negotiatesTheApi_andNamesBerth() {
    String out = docker.ok("version", "--format", "{{.Server.APIVersion}} {{.Server.Os}}");
    assertThat(out.trim()).isEqualTo("1.47 linux");
  }

  @Test
  void pull_printsDockersStatus_andImagesListsIt() {
    DockerCli.Result pull = docker.run("pull", "busybox");
    assertThat(pull.exitCode()).as(pull.toString()).isZero();
    assertThat(pull.stdout()).contains("Status: Image is up to date for busybox:latest");
    assertThat(docker.ok("images", "--format", "{{.Repository}}:{{.Tag}}"))
        .contains("busybox:latest");
  }

  @Test
  void runRm_printsTheOutput_andLeavesNoContainer() {
    DockerCli.Result r = docker.run("run", "--rm", "--name", "rm-me", "busybox", "echo", "hello");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).isEqualTo("hello\n");
    assertThat(docker.ok("ps", "-a", "--filter", "name=rm-me", "-q")).isEmpty();
  }

  @Test
  void run_exitCode_isTheProcesses_evenWithRm() {
    assertThat(docker.run("run", "--rm", "busybox", "sh", "-c", "exit 42").exitCode())
        .isEqualTo(42);
    assertThat(docker.run("run", "busybox", "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
  }

  @Test
  void run_missingCommand_exits127_withDockersMessage() {
    DockerCli.Result r = docker.run("run", "--rm", "busybox", "nodee");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(127);
    assertThat(r.stderr()).contains("executable file not found");
  }

  @Test
  void run_stdoutAndStderr_areBothRelayed() {
    DockerCli.Result r = docker.run("run", "--rm", "busybox", "sh", "-c",
        "echo to-out; echo to-err >&2");
    assertThat(r.stdout()).isEqualTo("to-out\n");
    assertThat(r.stderr()).contains("to-err\n");
  }

  @Test
  void runInteractive_readsStdin() {
    DockerCli.Result r = docker.runWithInput("line one\nline two\n", "run", "-i", "--rm",
        "busybox", "wc", "-l");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout().trim()).isEqualTo("2");
  }

  @Test
  void detached_logsPsExecStopRm_behaveAsDockers() {
    String id = docker.ok("run", "-d", "--name", "web", "--label", "app=web", "busybox", "sh",
        "-c", "echo started; echo oops >&2; sleep 300").trim();
    assertThat(id).matches("[0-9a-f]{64}");
    assertThat(docker.ok("ps", "--format", "{{.Names}} {{.Status}}")).contains("web Up ");
    awaitLog("web", "started");
    DockerCli.Result logs = docker.run("logs", "web");
    assertThat(logs.stdout()).isEqualTo("started\n");
    assertThat(logs.stderr()).isEqualTo("oops\n");
    assertThat(docker.ok("exec", "web", "echo", "inside")).isEqualTo("inside\n");
    assertThat(docker.run("exec", "web", "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
    assertThat(docker.ok("ps", "--filter", "label=app=web", "--format", "{{.Names}}").trim())
        .isEqualTo("web");
    assertThat(docker.ok("inspect", "-f", "{{.State.Status}} {{.Name}} {{.State.Running}}",
        "web").trim()).isEqualTo("running /web true");
    DockerCli.Result rmRunning = docker.run("rm", "web");
    assertThat(rmRunning.exitCode()).isEqualTo(1);
    assertThat(rmRunning.stderr()).contains("container is running");
    docker.ok("stop", "-t", "1", "web");
    assertThat(docker.ok("ps", "-a", "--filter", "name=web", "--format", "{{.Status}}"))
        .startsWith("Exited (");
    docker.ok("rm", "web");
    assertThat(docker.ok("ps", "-a", "--filter", "name=web", "-q")).isEmpty();
  }

  @Test
  void psAll_showsExitedContainers_withDockersStatus() {
    docker.ok("run", "--name", "done-zero", "busybox", "true");
    String ps = docker.ok("ps", "-a");
    assertThat(ps).startsWith("CONTAINER ID   IMAGE");
    assertThat(ps.lines().filter(l -> l.endsWith("done-zero")).findFirst().orElseThrow())
        .matches("[0-9a-f]{12} +busybox +\"true\" +.* ago +Exited \\(0\\) .* ago +done-zero");
    docker.ok("rm", "done-zero");
  }

  @Test
  void unknownContainer_isDockersNoSuchError() {
    DockerCli.Result r = docker.run("rm", "no-such-thing");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("No such container: no-such-thing");
  }

  @Test
  void sameName_twice_isAConflict() {
    docker.ok("create", "--name", "twice", "busybox", "true");
    DockerCli.Result r = docker.run("create", "--name", "twice", "busybox", "true");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("Conflict").contains("\"/twice\"");
    docker.ok("rm", "twice");
  }

  @Test
  void createThenStart_runsTheCreatedContainer() {
    String id = docker.ok("create", "--name", "later", "busybox", "sh", "-c", "echo ran").trim();
    assertThat(docker.ok("ps", "-a", "--filter", "name=later", "--format", "{{.Status}}").trim())
        .isEqualTo("Created");
    DockerCli.Result start = docker.run("start", "-a", "later");
    assertThat(start.stdout()).as(start.toString()).isEqualTo("ran\n");
    assertThat(docker.ok("inspect", "-f", "{{.State.ExitCode}}", id).trim()).isEqualTo("0");
    docker.ok("rm", "later");
  }

  @Test
  void networkConnect_createdContainer_joinsWhenStarted_pingableByAlias_withEvents() {
    String front = DockerCliVerbs.shortName("cf");
    String back = DockerCliVerbs.shortName("cb");
    docker.ok("network", "create", front);
    docker.ok("network", "create", back);
    try {
      String since = java.time.Instant.now().minusSeconds(1).toString();
      String late = docker.ok("create", "--name", "late", "--network", front, "busybox", "sleep", "300").trim();
      docker.ok("network", "connect", "--alias", "lx", back, "late");
      docker.ok("start", "late");
      docker.ok("run", "-d", "--name", "pinger", "--network", back, "busybox", "sleep", "300");

      DockerCli.Result ping = docker.run("exec", "pinger", "ping", "-c1", "-W2", "lx");
      assertThat(ping.exitCode()).as(ping.toString()).isZero();
      assertThat(docker.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + back + "\").IPAddress}}", "late"))
          .startsWith("10.89.");
      docker.ok("network", "disconnect", back, "late");
      String events = docker.ok("events", "--since", since, "--until", java.time.Instant.now().plusSeconds(1).toString(),
          "--filter", "type=network", "--format", "{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.container}}");
      assertThat(events.lines()).contains("connect " + back + " " + late, "disconnect " + back + " " + late);
    } finally {
      docker.run("rm", "-f", "late", "pinger");
      docker.run("network", "rm", front, back);
    }
  }

  @Test
  void networkConnect_mistakes_getDockersErrors() {
    String net = DockerCliVerbs.shortName("ce");
    docker.ok("network", "create", net);
    try {
      docker.ok("create", "--name", "twice-on", "--network", net, "busybox", "true");
      docker.ok("create", "--name", "on-host", "--network", "host", "busybox", "true");

      DockerCli.Result twice = docker.run("network", "connect", net, "twice-on");
      assertThat(twice.exitCode()).as(twice.toString()).isEqualTo(1);
      assertThat(twice.stderr()).contains("endpoint with name twice-on already exists in network " + net);
      assertThat(docker.run("network", "connect", "nope-net", "twice-on").stderr())
          .contains("network nope-net not found");
      assertThat(docker.run("network", "connect", net, "ghost").stderr()).contains("No such container: ghost");
      assertThat(docker.run("network", "connect", net, "on-host").stderr())
          .contains("on-host").contains("network mode is host");
      assertThat(docker.run("network", "disconnect", net, "on-host").stderr())
          .contains("is not connected to network " + net);
    } finally {
      docker.run("rm", "-f", "twice-on", "on-host");
      docker.run("network", "rm", net);
    }
  }

  @Test
  void networkLabels_outliveTheServer() {
    String net = DockerCliVerbs.shortName("cl");
    docker.ok("network", "create", "--label", "team=payments", net);
    try (Berth again = Registries.engine(dir.resolve("home"), Registries.plainWith("busybox"));
        DockerApi restarted = DockerApi.serve(again, dir.resolve("docker-again.sock"))) {
      DockerCli other = new DockerCli(restarted.dockerHost(), dir.resolve("docker-config"));
      assertThat(other.ok("network", "ls", "--filter", "label=team=payments", "--format", "{{.Name}}").lines())
          .containsExactly(net);
      assertThat(other.ok("network", "ls", "--filter", "label=team=other", "--format", "{{.Name}}")).isEmpty();
      assertThat(other.ok("network", "inspect", "-f", "{{.Labels.team}} {{.Created.Year}}", net).trim())
          .isEqualTo("payments " + java.time.Year.now(java.time.ZoneOffset.UTC).getValue());
    } finally {
      docker.run("network", "rm", net);
    }
  }

  private static void awaitLog(String container, String text) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!docker.run("logs", container).stdout().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in the log of " + container);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
