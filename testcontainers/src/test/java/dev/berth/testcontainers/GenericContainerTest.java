package dev.berth.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/** Testcontainers' GenericContainer, unchanged, on the engine {@link Engines} picks. */
class GenericContainerTest {
  static {
    Engines.setUp();
  }

  static final DockerImageName BUSYBOX = DockerImageName.parse("busybox:latest");
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  static GenericContainer<?> busybox(String script) {
    return new GenericContainer<>(BUSYBOX).withCommand("sh", "-c", script)
        .withStartupTimeout(TIMEOUT);
  }

  /** busybox httpd on 8080 serving {@code body} as /index.html. */
  static GenericContainer<?> httpd(String body) {
    return busybox("mkdir -p /www && echo '" + body + "' > /www/index.html"
        + " && exec httpd -f -p 8080 -h /www").withExposedPorts(8080);
  }

  @Test
  void logMessageWait_matchesALineWithItsNewline() {
    try (GenericContainer<?> c = busybox("echo starting; sleep 1; echo ready; exec sleep 600")
        .waitingFor(Wait.forLogMessage(".*ready.*\\s", 1))) {
      c.start();
      assertThat(c.getLogs()).isEqualTo("starting\nready\n");
    }
  }

  @Test
  void listeningPortWait_seesThePublishedPort_onLocalhost() throws Exception {
    try (GenericContainer<?> c = httpd("hi").waitingFor(Wait.forListeningPort())) {
      c.start();
      assertThat(c.getHost()).isEqualTo("localhost");
      assertThat(get(c, "/")).isEqualTo("hi\n");
    }
  }

  @Test
  void httpWait_getsTheStatus_throughTheMappedPort() throws Exception {
    try (GenericContainer<?> c = httpd("hello").waitingFor(Wait.forHttp("/index.html")
        .forStatusCode(200))) {
      c.start();
      assertThat(get(c, "/index.html")).isEqualTo("hello\n");
    }
  }

  @Test
  void execInContainer_givesStdoutStderrAndExitCode() throws Exception {
    try (GenericContainer<?> c = busybox("exec sleep 600")) {
      c.start();
      ExecResult r = c.execInContainer("sh", "-c", "echo out; echo err >&2; exit 3");
      assertThat(r.getStdout()).isEqualTo("out\n");
      assertThat(r.getStderr()).isEqualTo("err\n");
      assertThat(r.getExitCode()).isEqualTo(3);
    }
  }

  @Test
  void copyFileToContainer_thenFromContainer_roundTrips() throws Exception {
    try (GenericContainer<?> c = busybox("exec sleep 600")) {
      c.start();
      c.copyFileToContainer(Transferable.of("payload\n"), "/tmp/in/file.txt");
      assertThat(c.execInContainer("cat", "/tmp/in/file.txt").getStdout()).isEqualTo("payload\n");
      c.execInContainer("sh", "-c", "echo made inside > /tmp/out.txt");
      String out = c.copyFileFromContainer("/tmp/out.txt",
          in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
      assertThat(out).isEqualTo("made inside\n");
    }
  }

  @Test
  void withCopyToContainer_isThereWhenTheCommandStarts() {
    try (GenericContainer<?> c = busybox("cat /config/app.conf; exec sleep 600")
        .withCopyToContainer(Transferable.of("key=value\n", 0644), "/config/app.conf")
        .waitingFor(Wait.forLogMessage("key=value\\s", 1))) {
      c.start();
      assertThat(c.getLogs()).isEqualTo("key=value\n");
    }
  }

  @Test
  void withFileSystemBind_showsTheHostDirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("host.txt"), "from the host\n");
    try (GenericContainer<?> c = busybox("exec sleep 600")
        .withFileSystemBind(dir.toString(), "/mnt/host", BindMode.READ_WRITE)) {
      c.start();
      assertThat(c.execInContainer("cat", "/mnt/host/host.txt").getStdout())
          .isEqualTo("from the host\n");
      c.execInContainer("sh", "-c", "echo back > /mnt/host/back.txt");
      assertThat(Files.readString(dir.resolve("back.txt"))).isEqualTo("back\n");
    }
  }

  @Test
  void withTmpFs_mountsATmpfs() throws Exception {
    try (GenericContainer<?> c = busybox("exec sleep 600").withTmpFs(Map.of("/scratch", "rw"))) {
      c.start();
      ExecResult r = c.execInContainer("sh", "-c", "grep ' /scratch ' /proc/mounts");
      assertThat(r.getStdout()).startsWith("tmpfs /scratch tmpfs rw");
    }
  }

  @Test
  void followOutput_deliversStdoutAndStderrLines_apart() throws Exception {
    try (GenericContainer<?> c = busybox(
        "sleep 1; echo one; echo two >&2; echo three; exec sleep 600")) {
      c.start();
      ToStringConsumer out = new ToStringConsumer();
      ToStringConsumer err = new ToStringConsumer();
      c.followOutput(out, OutputFrame.OutputType.STDOUT);
      c.followOutput(err, OutputFrame.OutputType.STDERR);
      waitFor(() -> out.toUtf8String().contains("three") && err.toUtf8String().contains("two"));
      assertThat(out.toUtf8String()).isEqualTo("one\nthree\n");
      assertThat(err.toUtf8String()).isEqualTo("two\n");
    }
  }

  @Test
  void stopThenStartOfANewOne_getsAFreshContainer() {
    String first;
    try (GenericContainer<?> c = busybox("echo up; exec sleep 600")
        .waitingFor(Wait.forLogMessage("up\\s", 1))) {
      c.start();
      first = c.getContainerId();
      c.stop();
      assertThat(c.getContainerId()).isNull();
    }
    try (GenericContainer<?> c = busybox("echo up; exec sleep 600")
        .waitingFor(Wait.forLogMessage("up\\s", 1))) {
      c.start();
      assertThat(c.getContainerId()).isNotEqualTo(first);
      assertThat(c.isRunning()).isTrue();
    }
    assertThat(DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
        .withIdFilter(java.util.List.of(first)).exec()).isEmpty();
  }

  @Test
  void dockerRestart_runsTheCommandAgain() throws Exception {
    try (GenericContainer<?> c = busybox("echo up; exec sleep 600")
        .waitingFor(Wait.forLogMessage("up\\s", 1))) {
      c.start();
      DockerClient client = DockerClientFactory.instance().client();
      client.restartContainerCmd(c.getContainerId()).withTimeout(1).exec();
      waitFor(() -> c.getLogs().equals("up\nup\n"));
      assertThat(client.inspectContainerCmd(c.getContainerId()).exec().getState().getRunning())
          .isTrue();
      assertThat(c.execInContainer("echo", "still here").getStdout()).isEqualTo("still here\n");
    }
  }

  static String get(GenericContainer<?> c, String path) throws IOException {
    URI uri = URI.create("http://" + c.getHost() + ":" + c.getMappedPort(8080) + path);
    HttpURLConnection conn = (HttpURLConnection) uri.toURL().openConnection();
    conn.setConnectTimeout(5000);
    conn.setReadTimeout(5000);
    try (InputStream in = conn.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      conn.disconnect();
    }
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + TIMEOUT);
      }
      Thread.sleep(100);
    }
  }
}
