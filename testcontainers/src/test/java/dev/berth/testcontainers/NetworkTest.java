package dev.berth.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/** Network.newNetwork() with aliases: one container reaches another by its alias. */
class NetworkTest {
  static {
    Engines.setUp();
  }

  @Test
  void newNetwork_aliasReachesTheOtherContainer() throws Exception {
    try (Network net = Network.newNetwork();
         GenericContainer<?> web = GenericContainerTest.httpd("behind the alias")
             .withNetwork(net).withNetworkAliases("web").waitingFor(Wait.forListeningPort());
         GenericContainer<?> client = GenericContainerTest.busybox("exec sleep 600")
             .withNetwork(net)) {
      web.start();
      client.start();
      ExecResult r = client.execInContainer("wget", "-q", "-O", "-", "http://web:8080/");
      assertThat(r.getExitCode()).as(r.getStderr()).isZero();
      assertThat(r.getStdout()).isEqualTo("behind the alias\n");
    }
  }
}
