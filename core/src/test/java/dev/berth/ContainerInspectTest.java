package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testsupport.BusyboxEngine;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code inspect} reports beyond the state: the options, the process, the addresses. */
class ContainerInspectTest {
  @TempDir static Path home;
  @TempDir static Path bindSource;
  static Berth berth;
  static Image busybox;
  static BusyboxEngine engine;

  @BeforeAll
  static void pull() {
    engine = BusyboxEngine.start(home, "inspects containers as root; rootless runs are in RootlessTest");
    berth = engine.berth();
    busybox = engine.busybox();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void inspect_reportsEveryOptionItWasCreatedWith() {
    RunOptions opts = RunOptions.builder().name("inspected-options").command("true")
        .env("FOO", "bar").label("tier", "db").tty(true).stdinOpen(true).autoRemove(false)
        .publish(8080).memory(32L << 20).cpus(0.5).pidsLimit(20).capAdd("SYS_PTRACE")
        .capDrop("NET_RAW").readOnlyRootfs(true).seccomp("unconfined").networkAlias("db")
        .bind(bindSource, "/src", true).volume("/anon").tmpfs("/scratch", 1 << 20, 0700)
        .build();
    try (Container c = berth.create("busybox", opts)) {
      RunOptions shown = c.inspect().options();
      assertThat(shown).isEqualTo(opts);
      assertThat(shown.limits().memoryBytes()).isEqualTo(32L << 20);
      assertThat(shown.network().ports()).containsExactly(new PortMapping("127.0.0.1", 0, 8080, "tcp"));
      assertThat(shown.mounts()).extracting(Mount::target).containsExactly("/src", "/anon", "/scratch");
      assertThat(c.inspect().toString()).contains("inspected-options", "Created", "capAdd=[SYS_PTRACE]");
    }
  }

  @Test
  void inspect_reportsTheResolvedProcess() {
    try (Container c = berth.create("busybox", RunOptions.builder().command("true")
        .env("FOO", "bar").workingDir("/tmp").user("65534").build())) {
      ContainerInfo info = c.inspect();
      assertThat(info.env()).contains("FOO=bar").anyMatch(kv -> kv.startsWith("PATH="));
      assertThat(info.workingDir()).isEqualTo("/tmp");
      assertThat(info.user()).isEqualTo("65534");
      assertThat(info.hostname()).isEqualTo(c.id().substring(0, 12));
    }
  }

  @Test
  void inspect_hostnameGiven_isTheOptionsOne() {
    try (Container c = berth.create("busybox", RunOptions.builder().hostname("db-host").command("true").build())) {
      assertThat(c.inspect().hostname()).isEqualTo("db-host");
    }
  }

  @Test
  void inspect_privateNetwork_showsSlirpsAddressWhileRunning() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().detach(true).command("sleep", "60").build())) {
      ContainerInfo.Endpoint e = awaitEndpoint(c);
      assertThat(e.network()).isEqualTo("private");
      assertThat(e.ipAddress()).isEqualTo("10.0.2.100");
      assertThat(e.prefixLength()).isEqualTo(24);
      assertThat(e.gateway()).isEqualTo("10.0.2.2");
      assertThat(e.aliases()).isEmpty();
      assertThat(e.macAddress()).isEqualTo(
          c.exec("cat", "/sys/class/net/tap0/address").stdout().strip());
      c.stop(Duration.ofSeconds(1));
      assertThat(c.inspect().networks()).isEmpty();
    }
  }

  @Test
  void inspect_userDefinedNetwork_showsAddressGatewayAndAliases_acrossARestart() throws Exception {
    NetworkInfo net = berth.createNetwork("berth-insp-net");
    try (Container c = busybox.run(RunOptions.builder().name("inspected-on-net").detach(true)
        .network("berth-insp-net").networkAlias("insp-alias").command("sleep", "60").build())) {
      ContainerInfo.Endpoint e = c.inspect().networks().get(0);
      assertThat(e.network()).isEqualTo("berth-insp-net");
      assertThat(e.gateway()).isEqualTo(net.gateway());
      assertThat(e.prefixLength()).isEqualTo(24);
      assertThat(e.aliases()).contains("inspected-on-net", "insp-alias");
      assertThat(c.exec("ip", "-4", "addr", "show", "eth0").stdout())
          .contains(e.ipAddress() + "/" + e.prefixLength());
      assertThat(e.macAddress()).isEqualTo(c.exec("cat", "/sys/class/net/eth0/address").stdout().strip());

      c.restart(Duration.ofSeconds(1));

      assertThat(c.inspect().networks()).singleElement()
          .satisfies(again -> assertThat(again.network()).isEqualTo("berth-insp-net"));
      assertThat(berth.networks()).filteredOn(n -> n.name().equals("berth-insp-net"))
          .singleElement().satisfies(n -> assertThat(n.containers()).hasSize(1));
    } finally {
      berth.removeNetwork("berth-insp-net", true);
    }
  }

  @Test
  void inspect_hostNetwork_hasNoEndpoints() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().network("host").detach(true)
        .command("sleep", "60").build())) {
      assertThat(c.inspect().networks()).isEmpty();
    }
  }

  /** The record learns tap0's address from the running container (inspect reads it). */
  private static ContainerInfo.Endpoint awaitEndpoint(Container c) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (c.inspect().networks().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return c.inspect().networks().get(0);
  }
}
