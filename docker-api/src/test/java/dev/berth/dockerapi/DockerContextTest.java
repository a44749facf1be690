package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.Container;
import dev.berth.RunOptions;
import dev.berth.internal.remote.DockerEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker host as the docker CLI finds it, with contexts the real docker CLI made ({@code
 * docker context create/use}): DOCKER_HOST first, then DOCKER_CONTEXT, then config.json's current
 * context, then the default socket; and the remote engine reached through such a context.
 */
class DockerContextTest {
  @TempDir static Path dir;
  static CliEngine engine;
  static Path config;
  static String socket;

  @BeforeAll
  static void serve() {
    engine = CliEngine.berth(dir, "busybox");
    socket = "unix://" + dir.resolve("docker.sock");
    config = dir.resolve("docker-config");
    engine.docker.ok("context", "create", "berth-ctx", "--docker", "host=" + socket);
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static final Path NO_SOCKET = Path.of("/nonexistent/docker.sock");

  @Test
  void dockerContext_namesTheContextsHost_andTheRemoteEngineRunsThroughIt() throws Exception {
    String host = DockerEndpoints.resolve(Map.of("DOCKER_CONFIG", config.toString(),
        "DOCKER_CONTEXT", "berth-ctx"), NO_SOCKET).host();
    assertThat(host).isEqualTo(socket);
    try (Berth remote = Berth.builder().dockerHost(host).build();
        Container c = remote.pull("busybox").run(RunOptions.builder()
            .command("echo", "through the context").build())) {
      assertThat(c.waitFor()).isZero();
      assertThat(c.logs()).isEqualTo("through the context\n");
      assertThat(remote.info().engine()).startsWith("remote " + socket);
    }
  }

  @Test
  void currentContext_ofConfigJson_isUsed_andDockerHostWinsOverIt() {
    engine.docker.ok("context", "use", "berth-ctx");
    try {
      assertThat(DockerEndpoints.resolve(Map.of("DOCKER_CONFIG", config.toString()), NO_SOCKET))
          .isEqualTo(new DockerEndpoints.Endpoint(socket, null));
      assertThat(DockerEndpoints.resolve(Map.of("DOCKER_CONFIG", config.toString(),
          "DOCKER_HOST", "tcp://10.1.2.3:2375"), NO_SOCKET))
          .isEqualTo(new DockerEndpoints.Endpoint("tcp://10.1.2.3:2375", null));
    } finally {
      engine.docker.ok("context", "use", "default");
    }
  }

  @Test
  void nothingConfigured_isTheDefaultSocket_whenItExists_elseNone() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty-config"));
    Path sock = dir.resolve("default.sock");
    try (java.nio.channels.ServerSocketChannel listening = java.nio.channels.ServerSocketChannel
        .open(java.net.StandardProtocolFamily.UNIX)) {
      listening.bind(java.net.UnixDomainSocketAddress.of(sock));
      assertThat(DockerEndpoints.resolve(Map.of("DOCKER_CONFIG", empty.toString()), sock))
          .isEqualTo(new DockerEndpoints.Endpoint("unix://" + sock, null));
    }
    // a directory of that name (what a bind mount of a missing socket leaves) is no engine
    Path madeByABind = Files.createDirectories(dir.resolve("dir.sock"));
    assertThat(DockerEndpoints.resolve(Map.of("DOCKER_CONFIG", empty.toString()), madeByABind))
        .isNull();
    assertThat(DockerEndpoints.resolve(Map.of("DOCKER_CONFIG", empty.toString()), NO_SOCKET))
        .isNull();
    assertThat(DockerEndpoints.resolve(Map.of("DOCKER_CONFIG", empty.toString(),
        "DOCKER_CONTEXT", "default"), NO_SOCKET)).isNull();
  }

  @Test
  void unknownContext_isRefusedNamingIt_andWhereToLook() {
    assertThatThrownBy(() -> DockerEndpoints.resolve(Map.of("DOCKER_CONFIG", config.toString(),
        "DOCKER_CONTEXT", "nope"), NO_SOCKET))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("Docker context nope named by DOCKER_CONTEXT does not exist")
        .hasMessageContaining("docker context ls");
  }
}
