package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.Container;
import dev.berth.internal.remote.DockerEndpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The remote engine against Berth's own Docker API server in another BERTH_HOME, reached over
 * {@code ssh://}: the real OpenSSH client (the system's {@code ssh}, here with {@code -F} and a
 * test key) logs in to the real OpenSSH server ({@link TestSshd}) and runs the real docker
 * CLI's {@code docker system dial-stdio} there, which joins the session to the server's socket.
 */
class RemoteEngineOverSshTest extends RemoteEngineContract {
  private TestSshd sshd;

  @Override
  CliEngine start(Path dir) {
    CliEngine engine = CliEngine.berth(dir, "busybox");
    sshd = TestSshd.start(dir.resolve("sshd"), "unix://" + socket(dir));
    return engine;
  }

  @Override
  String dockerHost(CliEngine engine) {
    return sshd.url();
  }

  @Override
  Berth connect(String dockerHost) {
    return withSshCommand(sshd.clientConfig, () -> Berth.builder().dockerHost(dockerHost).build());
  }

  private static Berth withSshCommand(Path config, java.util.function.Supplier<Berth> build) {
    return withSshCommand(TestSshd.command(config), build);
  }

  private static Berth withSshCommand(String command, java.util.function.Supplier<Berth> build) {
    System.setProperty("berth.ssh.command", command);
    try {
      return build.get();
    } finally {
      System.clearProperty("berth.ssh.command");
    }
  }

  @Override
  @AfterAll
  void close() {
    super.close();
    if (sshd != null) {
      sshd.close();
    }
  }

  @Test
  void ssh_runsAContainer_andSaysTheEnginesHost() throws Exception {
    try (Container c = berth.image(busybox).run("echo", "over ssh")) {
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("over ssh\n");
      assertThat(c.waitFor()).isZero();
    }
    assertThat(berth.info().engine()).startsWith("remote " + sshd.url());
    assertThat(berth.info().publishedPortHost()).isEqualTo("127.0.0.1"); // ssh -G's hostname
  }

  @Test
  void sshDockerContext_madeByTheDockerCli_reachesTheEngine() throws Exception {
    engine.docker.ok("context", "create", "over-ssh", "--docker", "host=" + sshd.url());
    DockerEndpoints.Endpoint e = DockerEndpoints.resolve(Map.of("DOCKER_CONFIG",
        dir.resolve("docker-config").toString(), "DOCKER_CONTEXT", "over-ssh"),
        Path.of("/nonexistent/docker.sock"));
    assertThat(e.host()).isEqualTo(sshd.url());
    try (Berth viaContext = withSshCommand(sshd.clientConfig,
            () -> Berth.builder().dockerHost(e.host()).build());
        Container c = viaContext.image(busybox).run("echo", "through the context")) {
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("through the context\n");
      assertThat(c.waitFor()).isZero();
    }
  }

  @Test
  void ssh_withAKeyTheHostRefuses_saysWhatSshSaid() {
    // its own login, not a channel of the shared one the tests before made: options given in
    // the command come first, and ssh takes an option's first value
    assertThatThrownBy(() -> withSshCommand(TestSshd.command(sshd.strangerConfig)
        + " -o ControlPath=none",
        () -> Berth.builder().dockerHost(sshd.url()).build()))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining(sshd.url())
        .hasMessageContaining("Permission denied")
        .hasMessageContaining("without a password prompt");
  }

  @Test
  void ssh_withAPath_isRefusedNamingTheForm() {
    assertThatThrownBy(() -> Berth.builder().dockerHost(sshd.url() + "/var/run/docker.sock"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ssh://[user@]host[:port]");
  }
}
