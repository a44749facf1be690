package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.BusyboxEngine;
import dev.berth.testsupport.Registries;
import dev.berth.testsupport.RemoteDiffers;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Published ports, network modes and user-defined networks through the public API. */
class ContainerNetworkingTest {
  @TempDir static Path home;
  static Berth berth;
  static Image busybox;

  static BusyboxEngine engine;

  @BeforeAll
  static void pull() {
    engine = BusyboxEngine.start(home, "runs containers as root; rootless ports are in RootlessTest", "node");
    berth = engine.berth();
    busybox = engine.busybox();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static String get(int port, String path) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
            .toURL().openConnection();
        c.setConnectTimeout(1000);
        try (InputStream in = c.getInputStream()) {
          return new String(in.readAllBytes());
        }
      } catch (java.io.IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  @Test
  void publish_nodeServerIsReachedThroughARandomHostPort() throws Exception {
    Image node = berth.pull("node");
    try (Container c = node.run(RunOptions.builder().command("node", "server.js").publish(3000)
        .build())) {
      int port = c.hostPort(3000);
      assertThat(port).isPositive().isNotEqualTo(3000);
      assertThat(get(port, "/")).contains("hello from berth");
      assertThat(c.inspect().ports()).containsExactly(new PortMapping("127.0.0.1", port, 3000, "tcp"));
      assertThat(berth.containers(false).toString()).contains("127.0.0.1:" + port + "->3000/tcp");
    }
  }

  @Test
  void publishAll_publishesTheImagesExposedPorts() throws Exception {
    Image node = berth.pull("node");
    try (Container c = node.run(RunOptions.builder().command("node", "server.js").publishAll(true)
        .build())) {
      assertThat(get(c.hostPort(3000), "/")).contains("hello from berth");
    }
  }

  @Test
  void hostPort_ofAPortNotPublished_throwsSayingHowToPublish() throws Exception {
    try (Container c = busybox.run("sleep", "30")) {
      assertThatThrownBy(() -> c.hostPort(80))
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("publish(80)");
    }
  }

  @Test
  void none_hasOnlyLoopback() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().command("ls", "/sys/class/net")
        .network("none").build())) {
      assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("lo\n");
    }
  }

  @Test
  void containerNetwork_sharesTheOthersLocalhost() throws Exception {
    try (Container server = busybox.run(RunOptions.builder().name("pod-server")
        .command("sh", "-c", "echo pong > /tmp/index.html; httpd -f -p 8080 -h /tmp").build());
        Container client = busybox.run(RunOptions.builder().network("container:pod-server")
            .command("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://127.0.0.1:8080/ && exit 0; sleep 0.2; done; exit 1")
            .build())) {
      assertThat(new String(client.getInputStream().readAllBytes())).isEqualTo("pong\n");
      assertThat(client.waitFor()).isZero();
    }
  }

  @Test
  @RemoteDiffers(value = RemoteDiffers.NO_DNS, on = "podman")
  void userDefinedNetwork_containersReachEachOtherByName() throws Exception {
    berth.createNetwork("berth-it-net");
    try (Container server = busybox.run(RunOptions.builder().name("web-by-name")
        .network("berth-it-net").networkAlias("web-alias")
        .command("sh", "-c", "echo named > /tmp/index.html; httpd -f -p 80 -h /tmp").build());
        Container client = busybox.run(RunOptions.builder().network("berth-it-net")
            .command("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://web-by-name/ && wget -qO- http://web-alias/ && exit 0; sleep 0.2; done; exit 1")
            .build())) {
      assertThat(new String(client.getInputStream().readAllBytes())).isEqualTo("named\nnamed\n");
      assertThat(berth.networks()).extracting(NetworkInfo::name).contains("berth-it-net");
    } finally {
      berth.removeNetwork("berth-it-net", true);
    }
    assertThat(berth.networks()).extracting(NetworkInfo::name).doesNotContain("berth-it-net");
  }

  @Test
  @RemoteDiffers(value = "podman's service accepts published ports with the host network instead"
      + " of refusing them", on = "podman")
  void publishWithHostNetwork_isAClearError() {
    assertThatThrownBy(() -> busybox.run(RunOptions.builder().command("true").network("host")
        .publish(80).autoRemove(true).build()))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("conflicting options");
  }
}
