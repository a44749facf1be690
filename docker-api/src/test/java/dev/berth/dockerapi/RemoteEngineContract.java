package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.Container;
import dev.berth.ContainerInfo;
import dev.berth.ExecResult;
import dev.berth.Image;
import dev.berth.ImageNotFoundException;
import dev.berth.LogLine;
import dev.berth.LogOptions;
import dev.berth.NotFoundException;
import dev.berth.RunOptions;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.junit.Fixture;
import dev.berth.junit.RunningFixture;
import dev.berth.junit.Wait;
import dev.berth.testing.MachineLacks;
import dev.berth.testsupport.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API through a remote engine ({@code Berth.builder().dockerHost(…)}), judged on
 * what the engine behind the socket really did. The engine is the subclass's: Berth's own API
 * server in another BERTH_HOME ({@link RemoteEngineOnBerthTest}; over TLS with a client
 * certificate: {@link RemoteEngineOverTlsTest}) or podman's API service
 * ({@link RemoteEngineOnPodmanServiceTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RemoteEngineContract {
  @TempDir static Path dir;
  CliEngine engine;
  Berth berth;
  String busybox;

  /** Starts the engine under test; {@link #socket} is where it listens. */
  abstract CliEngine start(Path dir);

  /** Where the engine listens: Berth's API server's docker.sock unless the engine differs. */
  Path socket(Path dir) {
    return dir.resolve("docker.sock");
  }

  /**
   * The busybox test image, as this engine pulls it from the test registry: docker.io's name,
   * which Berth's API server mirrors from it, unless the engine differs.
   */
  String busybox(CliEngine engine) {
    return "busybox";
  }

  /** Where the remote engine under test connects (default: the engine's unix socket). */
  String dockerHost(CliEngine engine) {
    return "unix://" + socket(dir);
  }

  /** Whether the engine is Berth's API server, which holds sessions (no reaper then). */
  boolean holdsSessions() {
    return true;
  }

  /** The remote engine under test, connected to {@code dockerHost}. */
  Berth connect(String dockerHost) {
    return Berth.builder().dockerHost(dockerHost).build();
  }

  /** Where published ports are: localhost for a socket, the host of a tcp:// URL. */
  private String publishedHost() {
    return dockerHost.startsWith("unix://") ? "localhost" : URI.create(dockerHost).getHost();
  }

  String dockerHost;

  @BeforeAll
  void connect() {
    engine = start(dir);
    dockerHost = dockerHost(engine);
    berth = connect(dockerHost);
    busybox = busybox(engine);
    berth.pull(busybox);
  }

  @AfterAll
  void close() {
    if (berth != null) {
      berth.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @AfterEach
  void removeContainers() {
    for (ContainerInfo c : berth.containers(true)) {
      try {
        berth.container(c.id()).remove(true);
      } catch (NotFoundException removedMeanwhile) {
        // a reaper container, done, removes itself
      }
    }
  }

  @Test
  void pull_storesTheImageOnTheEngine() {
    Image image = berth.pull(busybox);
    assertThat(image.id().toString()).startsWith("sha256:");
    assertThat(image.inspect().cmd()).isNotEmpty();
    assertThat(berth.images()).extracting(i -> i.id()).contains(image.id());
  }

  @Test
  void run_toExit_givesStdoutStderrAndExitCode() throws Exception {
    try (Container c = berth.image(busybox).run("sh", "-c", "echo out; echo err >&2; exit 3")) {
      String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(c.waitFor()).isEqualTo(3);
      assertThat(out).isEqualTo("out\n");
      assertThat(err).isEqualTo("err\n");
      assertThat(c.exitValue()).isEqualTo(3);
    }
  }

  @Test
  void logs_ofAnExitedDetachedContainer_areWhatItWrote() throws Exception {
    Container c = berth.run(busybox, RunOptions.builder().command("sh", "-c",
        "echo one; echo two >&2").detach(true).build());
    assertThat(c.waitFor()).isZero();
    assertThat(c.logs()).contains("one\n").contains("two\n");
    List<LogLine> lines = c.logs(LogOptions.builder().build()).toList();
    assertThat(lines).extracting(LogLine::text).containsExactlyInAnyOrder("one\n", "two\n");
    assertThat(lines).extracting(LogLine::stream).containsExactlyInAnyOrder("stdout", "stderr");
  }

  @Test
  void detached_isListedInspectedStoppedAndRemoved() {
    String name = "remote-" + UUID.randomUUID().toString().substring(0, 8);
    Container c = berth.run(busybox, RunOptions.builder().command("sleep", "300").name(name)
        .label("team", "blue").detach(true).build());
    assertThat(berth.containers(false)).extracting(ContainerInfo::id).contains(c.id());
    ContainerInfo info = c.inspect();
    assertThat(info.state()).isEqualTo(ContainerInfo.State.RUNNING);
    assertThat(info.name()).isEqualTo(name);
    assertThat(info.labels()).containsEntry("team", "blue")
        .containsKey("dev.berth.session");
    assertThat(berth.container(name).id()).isEqualTo(c.id());
    c.stop(Duration.ofSeconds(1));
    assertThat(c.isAlive()).isFalse();
    assertThat(c.inspect().state()).isEqualTo(ContainerInfo.State.EXITED);
    c.remove(false);
    assertThat(berth.containers(true)).extracting(ContainerInfo::id).doesNotContain(c.id());
    assertThatThrownBy(() -> berth.container(c.id())).isInstanceOf(NotFoundException.class)
        .hasMessageContaining(c.id());
  }

  @Test
  void exec_givesOutputAndExitCode() throws Exception {
    try (Container c = berth.run(busybox, RunOptions.builder().command("sleep", "300")
        .detach(true).build())) {
      ExecResult r = c.exec("sh", "-c", "echo hi; echo oops >&2; exit 4");
      assertThat(r.exitCode()).isEqualTo(4);
      assertThat(r.stdout()).isEqualTo("hi\n");
      assertThat(r.stderr()).isEqualTo("oops\n");
    }
  }

  @Test
  void publishedPort_isReachedOnTheEnginesHost() throws Exception {
    try (Container c = berth.run(busybox, RunOptions.builder().command("sh", "-c",
        "echo served > /tmp/index.html; httpd -f -p 80 -h /tmp").publish(80).detach(true)
        .build())) {
      int port = c.hostPort(80);
      assertThat(port).isPositive();
      HttpClient client = HttpClient.newHttpClient();
      String body = null;
      for (int i = 0; i < 50 && body == null; i++) {
        try {
          body = client.send(HttpRequest.newBuilder(URI.create("http://" + publishedHost() + ":" + port
              + "/index.html")).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
          Thread.sleep(100); // httpd not listening yet
        }
      }
      assertThat(body).isEqualTo("served\n");
    }
  }

  @Test
  void fixture_waitsForItsPort_andIsReachedOnTheEnginesHost() throws Exception {
    Fixture web = Fixture.builder(busybox).command("sh", "-c",
        "echo fixture > /tmp/index.html; sleep 1; httpd -f -p 80 -h /tmp").publish(80)
        .waitingFor(Wait.allOf(Wait.forListeningPort(80), Wait.forHttp(80, "/index.html", 200)))
        .build();
    try (RunningFixture f = web.start(berth)) {
      assertThat(f.host()).isEqualTo(publishedHost());
      String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          "http://" + f.host() + ":" + f.hostPort(80) + "/index.html")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(body).isEqualTo("fixture\n");
      assertThat(f.container().inspect().labels()).containsKey("dev.berth.session");
    }
  }

  /**
   * An engine reached at an address that is not loopback is on another machine as far as the
   * client can tell: a fixture's port published on the engine host's 127.0.0.1 could not be
   * reached, so it is published on all its addresses and reached at the engine's address.
   */
  @Test
  void fixture_ofAnEngineElsewhere_isPublishedWhereTheEngineIsReached() throws Exception {
    InetAddress other = nonLoopbackAddress();
    // the reaper a fixture starts on podman mounts the engine's socket: a tcp:// URL names none
    System.setProperty("berth.remote.reaper.socket", socket(dir).toString());
    try (UnixToTcp tcp = new UnixToTcp(socket(dir), other);
        Berth elsewhere = Berth.builder()
            .dockerHost("tcp://" + other.getHostAddress() + ":" + tcp.port()).build()) {
      Fixture web = Fixture.builder(busybox).command("sh", "-c",
          "echo elsewhere > /tmp/index.html; httpd -f -p 80 -h /tmp").publish(80)
          .waitingFor(Wait.forHttp(80, "/index.html", 200).withTimeout(Duration.ofSeconds(20)))
          .build();
      try (RunningFixture f = web.start(elsewhere)) {
        assertThat(f.host()).isEqualTo(other.getHostAddress());
        assertThat(f.container().inspect().ports()).extracting(p -> p.hostIp())
            .containsOnly("0.0.0.0");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            "http://" + other.getHostAddress() + ":" + f.hostPort(80) + "/index.html")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("elsewhere\n");
      }
    } finally {
      System.clearProperty("berth.remote.reaper.socket");
    }
  }

  /** An IPv4 address of this machine that is not loopback. */
  private static InetAddress nonLoopbackAddress() throws IOException {
    for (NetworkInterface i : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (i.isUp() && !i.isLoopback()) {
        for (InetAddress a : java.util.Collections.list(i.getInetAddresses())) {
          if (a instanceof java.net.Inet4Address) {
            return a;
          }
        }
      }
    }
    MachineLacks.assume(false, "a network interface besides loopback (an engine elsewhere is"
        + " reached at one)");
    throw new AssertionError("unreachable");
  }

  @Test
  void volume_keepsFilesAcrossContainers() throws Exception {
    String volume = "remote-vol-" + UUID.randomUUID().toString().substring(0, 8);
    berth.createVolume(volume);
    try {
      assertThat(berth.volumes()).extracting(v -> v.name()).contains(volume);
      Container writer = berth.run(busybox, RunOptions.builder().command("sh", "-c",
          "echo kept > /data/f").volume(volume, "/data").detach(true).build());
      assertThat(writer.waitFor()).isZero();
      writer.remove(false);
      try (Container reader = berth.image(busybox).run(RunOptions.builder()
          .command("cat", "/data/f").volume(volume, "/data").build())) {
        assertThat(new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("kept\n");
        assertThat(reader.waitFor()).isZero();
      }
    } finally {
      berth.removeVolume(volume, true);
    }
    assertThat(berth.volumes()).extracting(v -> v.name()).doesNotContain(volume);
  }

  @Test
  void network_connectsItsContainers() throws Exception {
    String network = "remote-net-" + UUID.randomUUID().toString().substring(0, 8);
    berth.createNetwork(network);
    try {
      assertThat(berth.networks()).extracting(n -> n.name()).contains(network);
      try (Container server = berth.run(busybox, RunOptions.builder().command("sh", "-c",
              "echo peer > /tmp/index.html; httpd -f -p 80 -h /tmp").name("server-" + network)
              .network(network).detach(true).build());
          Container client = berth.run(busybox, RunOptions.builder().command("sleep", "300")
              .network(network).detach(true).build())) {
        // By address: podman's CNI networks here have no DNS plugin to resolve names
        String address = server.inspect().networks().stream()
            .filter(e -> e.network().equals(network)).findFirst().orElseThrow().ipAddress();
        assertThat(address).isNotEmpty();
        ExecResult r = null;
        for (int i = 0; i < 50 && (r == null || r.exitCode() != 0); i++) {
          r = client.exec("wget", "-q", "-O", "-", "http://" + address + "/index.html");
          Thread.sleep(r.exitCode() == 0 ? 0 : 100);
        }
        assertThat(r.stdout()).isEqualTo("peer\n");
      }
    } finally {
      berth.removeNetwork(network, true);
    }
    assertThat(berth.networks()).extracting(n -> n.name()).doesNotContain(network);
  }

  @Test
  void copy_putsAFileInAndGetsItOut() throws Exception {
    Path file = Files.writeString(dir.resolve("in-" + UUID.randomUUID() + ".txt"), "copied\n");
    try (Container c = berth.run(busybox, RunOptions.builder().command("sleep", "300")
        .detach(true).build())) {
      c.copyTo(file, "/tmp/there.txt");
      assertThat(c.exec("cat", "/tmp/there.txt").stdout()).isEqualTo("copied\n");
      c.exec("sh", "-c", "mkdir /tmp/d && echo inner > /tmp/d/x");
      Path out = dir.resolve("out-" + UUID.randomUUID());
      c.copyFrom("/tmp/d", out);
      assertThat(Files.readString(out.resolve("x"))).isEqualTo("inner\n");
    }
  }

  @Test
  void pull_unknownImage_throwsImageNotFound() {
    String unknown = engine.registry.host() + "/library/no-such-image-" + UUID.randomUUID()
        .toString().substring(0, 8);
    assertThatThrownBy(() -> berth.pull(unknown)).isInstanceOf(ImageNotFoundException.class)
        .hasMessageContaining("no-such-image");
  }

  @Test
  void unpackTo_saysTheRemoteEngineCannot() {
    Image image = berth.image(busybox);
    assertThatThrownBy(() -> image.unpackTo(dir.resolve("unpacked")))
        .isInstanceOf(UnsupportedEnvironmentException.class)
        .hasMessageContaining("unpackTo").hasMessageContaining(dockerHost);
  }

  @Test
  void info_namesTheRemoteEngineAndWhatItCannotDo() {
    assertThat(berth.info().engine()).startsWith("remote " + dockerHost);
    assertThat(berth.info().unsupported()).containsKeys("unpackTo", "build");
    assertThat(berth.info().publishedPortHost()).isEqualTo(publishedHost());
  }

  @Test
  void tcpDockerHost_reachesTheEngine_andPublishesOnItsHost() throws Exception {
    try (UnixToTcp tcp = new UnixToTcp(socket(dir));
        Berth overTcp = Berth.builder().dockerHost("tcp://127.0.0.1:" + tcp.port()).build();
        Container c = overTcp.image(busybox).run("echo", "over tcp")) {
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("over tcp\n");
      assertThat(c.waitFor()).isZero();
      assertThat(overTcp.info().publishedPortHost()).isEqualTo("127.0.0.1");
      assertThat(overTcp.info().engine()).startsWith("remote tcp://127.0.0.1:" + tcp.port());
    }
  }

  @Test
  void dockerHost_unreachable_saysWhichAndWhatToDo() {
    Path nothing = dir.resolve("nothing.sock");
    assertThatThrownBy(() -> Berth.builder().dockerHost("unix://" + nothing).build())
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("cannot reach the Docker engine at unix://" + nothing)
        .hasMessageContaining("DOCKER_HOST");
  }

  @Test
  void berthDockerHostProperty_makesEveryEngineBuiltWithoutOneRemote() {
    System.setProperty("berth.dockerHost", "unix://" + socket(dir));
    try (Berth built = Berth.builder().home(dir.resolve("unused-home")).build()) {
      assertThat(built.info().engine()).startsWith("remote unix://" + socket(dir));
      assertThat(built.images()).extracting(i -> i.id())
          .contains(berth.image(busybox).id()); // the engine's store, not a fresh home
      System.setProperty("berth.dockerHost", "ftp://example");
      assertThatThrownBy(() -> Berth.builder().build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("system property berth.dockerHost")
          .hasMessageContaining("unix:///path/to/docker.sock");
    } finally {
      System.clearProperty("berth.dockerHost");
    }
    assertThat(Files.exists(dir.resolve("unused-home"))).isFalse();
  }

  @Test
  void dockerHost_unknownScheme_isRefused() {
    assertThatThrownBy(() -> Berth.builder().dockerHost("ftp://example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unix:///path/to/docker.sock");
  }

  @Test
  void removeWithJvm_ofAKilledJvm_isRemovedByTheReaper_othersStay() throws Exception {
    killedJvmsContainersAreRemoved("unix://" + socket(dir));
  }

  /** A JVM with the remote engine at {@code dockerHost} is killed: its removeWithJvm ones go. */
  void killedJvmsContainersAreRemoved(String dockerHost) throws Exception {
    String volume = "unlabelled-" + UUID.randomUUID().toString().substring(0, 8);
    berth.createVolume(volume); // unused and without the label: the reaper's prune keeps it
    List<String> before = ids();
    Process child = ChildJvm.startWith(List.of("-Dberth.remote.reaper.grace=2"),
        ReaperChildMain.class, dockerHost, busybox);
    StringBuilder childOut = new StringBuilder(); // its output besides the ids (warnings)
    String owned;
    String kept;
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8));
      owned = idAfter(out, "owned ", childOut);
      kept = idAfter(out, "kept ", childOut);
      assertThat(berth.containers(true)).extracting(ContainerInfo::id).contains(owned, kept);
    } finally {
      child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (ids().contains(owned) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(ids()).as(() -> "containers after the owner JVM was killed; its output: "
        + childOut + "; the others' logs: " + logsBut(before, kept)).doesNotContain(owned).contains(kept);
    while (ids().size() > before.size() + 1 && System.nanoTime() < deadline) {
      Thread.sleep(200); // the reaper, done, removes itself
    }
    assertThat(ids()).as("the reaper is gone once done").containsExactlyInAnyOrderElementsOf(
        java.util.stream.Stream.concat(before.stream(), java.util.stream.Stream.of(kept))
            .toList());
    assertThat(berth.volumes()).extracting(v -> v.name()).contains(volume);
    berth.container(kept).remove(true);
    berth.removeVolume(volume, true);
  }

  private String logsBut(List<String> before, String kept) {
    StringBuilder b = new StringBuilder();
    for (String id : ids()) {
      if (!before.contains(id) && !id.equals(kept)) {
        b.append(id, 0, 12).append(": ").append(berth.container(id).logs()).append('\n');
      }
    }
    return b.toString();
  }

  @Test
  void removeWithJvm_whenTheReaperCannotStart_warns_andTheShutdownHookStillRemoves()
      throws Exception {
    Process child = ChildJvm.startWith(List.of("-Dberth.remote.reaper.grace=soon"),
        ReaperChildMain.class, "unix://" + socket(dir), busybox, "exit");
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8));
    StringBuilder err = new StringBuilder();
    String owned = idAfter(out, "owned ", err);
    String kept = idAfter(out, "kept ", err);
    assertThat(child.waitFor()).isZero();
    if (holdsSessions()) { // the server removes them: no reaper is started, none can fail
      assertThat(err.toString()).doesNotContain("reaper");
    } else {
      assertThat(err.toString()).contains("could not start its reaper")
          .contains("is a whole number of seconds, not 'soon'");
    }
    assertThat(ids()).doesNotContain(owned).contains(kept);
    berth.container(kept).remove(true);
  }

  List<String> ids() {
    return berth.containers(true).stream().map(ContainerInfo::id).toList();
  }

  /** Reads the child's output up to its line "PREFIX ID"; the lines before go to {@code rest}. */
  static String idAfter(BufferedReader out, String prefix, StringBuilder rest)
      throws IOException {
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
      rest.append(line).append('\n');
    }
    throw new AssertionError("the child JVM ended without '" + prefix + "ID': " + rest);
  }
}
