package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker's verbs through the real {@code docker} CLI 28, each as a user types it, judged on
 * what the CLI prints and exits with. The engine behind the socket is the subclass's choice:
 * Berth ({@link DockerCliVerbsTest}) or podman's API service as a peer
 * ({@link PodmanCliVerbsTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DockerCliVerbs {
  @TempDir static Path dir;
  CliEngine engine;
  DockerCli docker;

  /** Starts the engine under test with the busybox test image provided. */
  abstract CliEngine start(Path dir);

  @BeforeAll
  void serve() {
    engine = start(dir);
    docker = engine.docker;
    engine.provide("busybox");
  }

  @AfterAll
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @AfterEach
  void removeContainers() {
    List<String> ids = docker.ok("ps", "-aq").lines().toList();
    if (!ids.isEmpty()) {
      docker.run(concat(List.of("rm", "-f"), ids));
    }
  }

  // ---- exit codes the issue names

  @Test
  void run_missingCommand_exits127() {
    DockerCli.Result r = docker.run("run", "--rm", "busybox", "no-such-command");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(127);
  }

  @Test
  void runRm_exitCode_isTheProcesses() {
    DockerCli.Result r = docker.run("run", "--rm", "busybox", "sh", "-c", "exit 42");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(42);
  }

  // ---- logs

  @Test
  void logsFollow_printsUntilTheContainerExits() {
    docker.ok("run", "-d", "--name", "follow", "busybox", "sh", "-c",
        "echo one; sleep 1; echo two");
    DockerCli.Result r = docker.run("logs", "-f", "follow");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).isEqualTo("one\ntwo\n");
  }

  @Test
  void logs_sinceUntilTailTimestamps_pickLines() throws Exception {
    docker.ok("run", "-d", "--name", "timed", "busybox", "sh", "-c",
        "echo early; sleep 2; echo late; sleep 300");
    awaitLog("timed", "early");
    Thread.sleep(1000);
    Instant between = Instant.now();
    awaitLog("timed", "late");
    assertThat(docker.ok("logs", "--tail", "1", "timed")).isEqualTo("late\n");
    assertThat(docker.ok("logs", "--since", between.toString(), "timed")).isEqualTo("late\n");
    assertThat(docker.ok("logs", "--until", between.toString(), "timed")).isEqualTo("early\n");
    assertThat(docker.ok("logs", "-t", "timed"))
        .matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z early\n"
            + "\\d{4}-\\d\\d-\\d\\dT\\S+Z late\n");
  }

  // ---- cp

  @Test
  void cp_fileAndDirectory_bothWays() throws Exception {
    Path in = Files.createDirectories(dir.resolve("cp-in-" + UUID.randomUUID()));
    Files.writeString(in.resolve("file.txt"), "a file\n");
    Files.createDirectories(in.resolve("tree/sub"));
    Files.writeString(in.resolve("tree/sub/leaf"), "a leaf\n");
    docker.ok("run", "-d", "--name", "cp-target", "busybox", "sleep", "300");
    docker.ok("cp", in.resolve("file.txt").toString(), "cp-target:/tmp/");
    docker.ok("cp", in.resolve("tree").toString(), "cp-target:/tmp/tree");
    assertThat(docker.ok("exec", "cp-target", "cat", "/tmp/file.txt", "/tmp/tree/sub/leaf"))
        .isEqualTo("a file\na leaf\n");
    docker.ok("exec", "cp-target", "sh", "-c",
        "mkdir -p /out/d && echo made > /out/d/x && echo single > /out/one");
    Path out = Files.createDirectories(dir.resolve("cp-out-" + UUID.randomUUID()));
    docker.ok("cp", "cp-target:/out/one", out.toString());
    docker.ok("cp", "cp-target:/out/d", out.resolve("d").toString());
    assertThat(Files.readString(out.resolve("one"))).isEqualTo("single\n");
    assertThat(Files.readString(out.resolve("d/x"))).isEqualTo("made\n");
  }

  @Test
  void cp_intoACreatedContainer_isThereWhenItStarts() throws Exception {
    Path f = dir.resolve("cp-created-" + UUID.randomUUID());
    Files.writeString(f, "before start\n");
    docker.ok("create", "--name", "cp-created", "busybox", "cat", "/given");
    docker.ok("cp", f.toString(), "cp-created:/given");
    DockerCli.Result r = docker.run("start", "-a", "cp-created");
    assertThat(r.stdout()).as(r.toString()).isEqualTo("before start\n");
  }

  // ---- ports

  @Test
  void portAndPs_showAPublishedPort_onAllInterfaces() {
    int port = freePort();
    docker.ok("run", "-d", "--name", "web-fixed", "-p", port + ":80", "busybox", "httpd", "-f",
        "-p", "80");
    assertThat(docker.ok("port", "web-fixed").lines().toList())
        .contains("80/tcp -> 0.0.0.0:" + port);
    assertThat(docker.ok("ps", "--filter", "name=web-fixed", "--format", "{{.Ports}}"))
        .contains("0.0.0.0:" + port + "->80/tcp");
  }

  @Test
  void port_ofAnEphemeralPublish_namesTheChosenHostPort() {
    docker.ok("run", "-d", "--name", "web-any", "-p", "80", "busybox", "httpd", "-f", "-p", "80");
    String line = docker.ok("port", "web-any", "80/tcp").lines().findFirst().orElse("");
    assertThat(line).matches("0\\.0\\.0\\.0:\\d+");
    assertThat(docker.ok("ps", "--filter", "name=web-any", "--format", "{{.Ports}}"))
        .contains(line + "->80/tcp");
  }

  @Test
  void publishAll_publishesTheExposedPorts() {
    docker.ok("run", "-d", "--name", "web-all", "--expose", "80", "-P", "busybox", "httpd",
        "-f", "-p", "80");
    assertThat(docker.ok("port", "web-all")).containsPattern("80/tcp -> 0\\.0\\.0\\.0:\\d+");
  }

  // ---- stats

  @Test
  void statsNoStream_namesTheContainer() {
    docker.ok("run", "-d", "--name", "busy-stats", "busybox", "sleep", "300");
    String out = docker.ok("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}",
        "busy-stats");
    assertThat(out).startsWith("busy-stats ");
  }

  // ---- networks

  @Test
  void network_createLsInspectRm_andAContainerReachesAnotherByNameAndAlias() {
    String net = shortName("nt"); // a bridge on the host is named after it, at most 15 bytes
    String id = docker.ok("network", "create", net).trim();
    assertThat(docker.ok("network", "ls", "--format", "{{.Name}}").lines()).contains(net);
    assertThat(docker.ok("network", "inspect", "-f", "{{.Name}} {{.Driver}}", net).trim())
        .isEqualTo(net + " bridge");
    docker.ok("run", "-d", "--name", "srv", "--network", net, "--network-alias", "web",
        "busybox", "sh", "-c", "echo served > /tmp/index.html; httpd -f -p 80 -h /tmp");
    String networkId = docker.ok("inspect", "-f",
        "{{range .NetworkSettings.Networks}}{{.NetworkID}}{{end}}", "srv").trim();
    DockerCli.Result byName = docker.run("run", "--rm", "--network", net, "busybox",
        "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://srv/ && exit;"
            + " sleep 0.3; done; exit 1");
    assertThat(byName.stdout()).as(byName.toString()).isEqualTo("served\n");
    DockerCli.Result byAlias = docker.run("run", "--rm", "--network", net, "busybox",
        "wget", "-q", "-O", "-", "http://web/");
    assertThat(byAlias.stdout()).as(byAlias.toString()).isEqualTo("served\n");
    docker.ok("rm", "-f", "srv");
    docker.ok("network", "rm", net);
    assertThat(docker.ok("network", "ls", "--format", "{{.Name}}").lines())
        .doesNotContain(net);
    assertThat(networkId).as("NetworkID in the container's inspect").isEqualTo(id);
  }

  // ---- volumes

  @Test
  void volume_createLsInspectRmPrune_andDataOutlivesTheContainer() {
    assertThat(docker.ok("volume", "create", "cli-vol").trim()).isEqualTo("cli-vol");
    assertThat(docker.ok("volume", "ls", "--format", "{{.Name}}").lines()).contains("cli-vol");
    assertThat(docker.ok("volume", "inspect", "-f", "{{.Name}} {{.Driver}}", "cli-vol").trim())
        .isEqualTo("cli-vol local");
    docker.ok("run", "--rm", "-v", "cli-vol:/data", "busybox", "sh", "-c",
        "echo kept > /data/f");
    assertThat(docker.ok("run", "--rm", "-v", "cli-vol:/data", "busybox", "cat", "/data/f"))
        .isEqualTo("kept\n");
    docker.ok("volume", "rm", "cli-vol");
    docker.ok("volume", "create", "cli-unused");
    assertThat(docker.ok("volume", "prune", "-a", "-f")).contains("cli-unused");
    assertThat(docker.ok("volume", "ls", "-q")).doesNotContain("cli-unused");
  }

  // ---- build, save, load, tag, rmi, push

  @Test
  void build_fromADockerfileContext_makesAnImageThatRuns() throws Exception {
    Path ctx = buildContext("built", "hello from the context");
    DockerCli.Result b = docker.run("build", "-t", "cli-built:1", ctx.toString());
    assertThat(b.exitCode()).as(b.toString()).isZero();
    assertThat(docker.ok("run", "--rm", "cli-built:1"))
        .isEqualTo("hello from the context\nran at build\n");
  }

  @Test
  void saveLoad_throughAPipe_givesAnImageThatRuns() {
    docker.ok("tag", "busybox", "cli-saved:1");
    docker.ok("rmi", "cli-saved:1");
    docker.ok("tag", "busybox", "cli-saved:1");
    DockerCli.Result pipe = docker.shell("docker save cli-saved:1 | docker load");
    docker.ok("rmi", "cli-saved:1");
    assertThat(pipe.exitCode()).as(pipe.toString()).isZero();
    assertThat(pipe.stdout()).contains("Loaded image: cli-saved:1");
    // loaded once more, now with the tag gone, so run uses what load brought back
    DockerCli.Result again = docker.shell("docker save busybox | docker load && docker tag"
        + " busybox cli-saved:2 && docker run --rm cli-saved:2 echo loaded");
    assertThat(again.stdout()).as(again.toString()).endsWith("loaded\n");
    docker.ok("rmi", "cli-saved:2");
  }

  @Test
  void tagImagesRmi_behaveAsDockers() {
    docker.ok("tag", "busybox", "cli-tagged:v1");
    assertThat(docker.ok("images", "--format", "{{.Repository}}:{{.Tag}}").lines())
        .contains("cli-tagged:v1", "busybox:latest");
    List<String> table = docker.ok("images", "cli-tagged").lines().toList();
    assertThat(table.get(0)).matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE");
    assertThat(table).hasSize(2);
    assertThat(table.get(1)).matches("cli-tagged +v1 +[0-9a-f]{12} +.+");
    assertThat(docker.ok("rmi", "cli-tagged:v1")).contains("Untagged: cli-tagged:v1");
    assertThat(docker.ok("images", "-q", "cli-tagged")).isEmpty();
    DockerCli.Result missing = docker.run("rmi", "cli-never:1");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).containsIgnoringCase("no such image");
  }

  @Test
  void push_toALocalRegistry_putsTheManifestThere() throws Exception {
    String ref = engine.registry.host() + "/cli-pushed/busybox:" + engine.name();
    docker.ok("tag", "busybox", ref);
    DockerCli.Result r = docker.run("push", ref);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).containsPattern(engine.name() + ": digest: sha256:[0-9a-f]{64}");
    HttpResponse<String> manifest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://" + engine.registry.host() + "/v2/cli-pushed/busybox/manifests/"
                + engine.name()))
        .header("Accept", "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.docker.distribution.manifest.v2+json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(manifest.statusCode()).isEqualTo(200);
    docker.ok("rmi", ref);
  }

  @Test
  void push_ofABuiltImage_sendsGzipLayers_andPrintsTheDigestTheRegistryHas() throws Exception {
    String ref = engine.registry.host() + "/cli-pushed/built:" + engine.name();
    DockerCli.Result b = docker.run("build", "-t", ref,
        buildContext("pushed", "built then pushed").toString());
    assertThat(b.exitCode()).as(b.toString()).isZero();
    DockerCli.Result r = docker.run("push", ref);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    java.util.regex.Matcher printed = java.util.regex.Pattern
        .compile("digest: (sha256:[0-9a-f]{64})").matcher(r.stdout());
    assertThat(printed.find()).as(r.stdout()).isTrue();
    HttpResponse<String> manifest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://" + engine.registry.host() + "/v2/cli-pushed/built/manifests/"
                + engine.name()))
        .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(printed.group(1));
    assertThat(manifest.body()).contains("application/vnd.oci.image.layer.v1.tar+gzip")
        .doesNotContain("application/vnd.oci.image.layer.v1.tar\"");
    docker.ok("rmi", ref);
  }

  // ---- lifecycle

  @Test
  void events_sinceUntil_showALifecycle_filteredByContainer() {
    Instant since = Instant.now().minusSeconds(1);
    docker.ok("run", "--name", "evented", "busybox", "true");
    docker.ok("rm", "evented");
    Instant until = Instant.now().plusSeconds(1);
    String out = docker.ok("events", "--since", since.toString(), "--until", until.toString(),
        "--filter", "container=evented", "--filter", "type=container", "--format",
        "{{.Action}}");
    assertThat(out.lines().toList()).containsSubsequence("create", "start", "die", "destroy");
  }

  @Test
  void pauseUnpause_showInStatus() {
    docker.ok("run", "-d", "--name", "pausable", "busybox", "sleep", "300");
    docker.ok("pause", "pausable");
    assertThat(docker.ok("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", "pausable")
        .trim()).isEqualTo("paused true");
    assertThat(docker.ok("ps", "--filter", "name=pausable", "--format", "{{.Status}}"))
        .contains("(Paused)");
    docker.ok("unpause", "pausable");
    assertThat(docker.ok("inspect", "-f", "{{.State.Status}}", "pausable").trim())
        .isEqualTo("running");
  }

  @Test
  void killSignal_reachesTheProcess_andWaitPrintsItsExit() {
    docker.ok("run", "-d", "--name", "trapper", "busybox", "sh", "-c",
        "trap 'echo got-usr1; exit 5' USR1; echo ready; while true; do sleep 0.1; done");
    awaitLog("trapper", "ready");
    docker.ok("kill", "-s", "USR1", "trapper");
    assertThat(docker.ok("wait", "trapper").trim()).isEqualTo("5");
    assertThat(docker.ok("logs", "trapper")).contains("got-usr1");
  }

  @Test
  void wait_printsTheExitCode_whenTheContainerEnds() {
    docker.ok("run", "-d", "--name", "waited", "busybox", "sh", "-c", "sleep 1; exit 4");
    assertThat(docker.ok("wait", "waited").trim()).isEqualTo("4");
  }

  @Test
  void restart_runsTheContainerAgain() {
    docker.ok("run", "-d", "--name", "again", "busybox", "sh", "-c", "echo run; sleep 300");
    awaitLog("again", "run");
    docker.ok("restart", "-t", "1", "again");
    assertThat(docker.ok("inspect", "-f", "{{.State.Status}}", "again").trim())
        .isEqualTo("running");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!docker.ok("logs", "again").equals("run\nrun\n") && System.nanoTime() < deadline) {
      sleep(100);
    }
    assertThat(docker.ok("logs", "again")).isEqualTo("run\nrun\n");
  }

  // ---- inspect

  @Test
  void inspect_goTemplatesClientsUse() {
    int port = freePort();
    docker.ok("run", "-d", "--name", "inspected", "--memory", "64m", "-e", "FOO=bar", "-p",
        port + ":80", "busybox", "sleep", "300");
    assertThat(docker.ok("inspect", "-f", "{{.HostConfig.Memory}}", "inspected").trim())
        .isEqualTo("67108864");
    assertThat(docker.ok("inspect", "-f", "{{.Config.Env}}", "inspected"))
        .contains("FOO=bar");
    assertThat(docker.ok("inspect", "-f", "{{.NetworkSettings.Ports}}", "inspected").trim())
        .isEqualTo("map[80/tcp:[{0.0.0.0 " + port + "}]]");
    assertThat(docker.ok("inspect", "-f", "{{json .Config.Cmd}}", "inspected").trim())
        .isEqualTo("[\"sleep\",\"300\"]");
    assertThat(docker.ok("image", "inspect", "-f", "{{.Config.Cmd}} {{.Os}}", "busybox").trim())
        .isEqualTo("[sh] linux");
    assertThat(docker.ok("image", "inspect", "-f", "{{.Id}}", "busybox").trim())
        .matches("sha256:[0-9a-f]{64}");
  }

  // ---- prune

  @Test
  void containerPrune_removesStoppedContainers_only() {
    String done = docker.ok("run", "--name", "prunable", "busybox", "true").trim();
    docker.ok("run", "-d", "--name", "kept-running", "busybox", "sleep", "300");
    String id = docker.ok("inspect", "-f", "{{.Id}}", "prunable").trim();
    String out = docker.ok("container", "prune", "-f");
    assertThat(out).contains("Deleted Containers:").contains(id);
    assertThat(done).isEmpty();
    assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines())
        .contains("kept-running").doesNotContain("prunable");
  }

  @Test
  void imagePrune_removesDanglingImages() throws Exception {
    docker.ok("build", "-q", "-t", "cli-dangling:1", buildContext("first", "one").toString());
    String first = docker.ok("image", "inspect", "-f", "{{.Id}}", "cli-dangling:1").trim();
    docker.ok("build", "-q", "-t", "cli-dangling:1", buildContext("second", "two").toString());
    String out = docker.ok("image", "prune", "-f");
    assertThat(out).contains("deleted: " + first);
    assertThat(docker.ok("images", "-q", "--no-trunc")).doesNotContain(first);
    docker.ok("rmi", "cli-dangling:1");
  }

  @Test
  void networkConnect_withAlias_peersReachIt_andDisconnectTakesItAway() {
    String front = shortName("nf");
    String back = shortName("nb");
    docker.ok("network", "create", front);
    docker.ok("network", "create", back);
    try {
      docker.ok("run", "-d", "--name", "conn-a", "--network", front, "busybox", "sh", "-c",
          "echo from-a > /tmp/index.html; httpd -f -p 80 -h /tmp");
      docker.ok("run", "-d", "--name", "conn-b", "--network", back, "busybox", "sleep", "300");

      docker.ok("network", "connect", "--alias", "x", back, "conn-a");

      DockerCli.Result byAlias = docker.run("exec", "conn-b", "sh", "-c",
          "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://x/ && exit; sleep 0.3; done; exit 1");
      assertThat(byAlias.stdout()).as(byAlias.toString()).isEqualTo("from-a\n");
      assertThat(docker.ok("inspect", "-f",
          "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", "conn-a").split(" "))
          .contains(front, back);
      assertThat(docker.ok("network", "inspect", "-f",
          "{{range .Containers}}{{.Name}} {{end}}", back).trim().split(" "))
          .containsExactlyInAnyOrder("conn-a", "conn-b");
      assertThat(docker.ok("exec", "conn-a", "ls", "/sys/class/net").lines()).contains("eth0", "eth1");

      docker.ok("network", "disconnect", back, "conn-a");

      assertThat(docker.ok("network", "inspect", "-f",
          "{{range .Containers}}{{.Name}} {{end}}", back).trim()).isEqualTo("conn-b");
      assertThat(docker.ok("exec", "conn-a", "ls", "/sys/class/net").lines()).doesNotContain("eth1");
      DockerCli.Result gone = docker.run("exec", "conn-b", "wget", "-q", "-O", "-", "http://x/");
      assertThat(gone.exitCode()).as(gone.toString()).isNotZero();
    } finally {
      docker.run("rm", "-f", "conn-a", "conn-b");
      docker.run("network", "rm", front, back);
    }
  }

  // ---- helpers

  /** A build context: FROM busybox, RUN, COPY, CMD. */
  Path buildContext(String name, String text) throws IOException {
    Path ctx = Files.createDirectories(dir.resolve("ctx-" + name + "-" + UUID.randomUUID()));
    Files.writeString(ctx.resolve("greeting.txt"), text + "\n");
    Files.writeString(ctx.resolve("Dockerfile"), """
        FROM busybox
        RUN echo ran at build > /built.txt
        COPY greeting.txt /greeting.txt
        CMD ["cat", "/greeting.txt", "/built.txt"]
        """);
    return ctx;
  }

  void awaitLog(String container, String text) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!docker.run("logs", container).stdout().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in the log of " + container);
      }
      sleep(50);
    }
  }

  /** A name no earlier run left a network (and its host bridge) under. */
  static String shortName(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 6);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String[] concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
  }
}
