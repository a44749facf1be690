package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testsupport.BusyboxEngine;
import dev.berth.testsupport.Registries;
import dev.berth.testsupport.RemoteDiffers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Container#connect} and {@link Container#disconnect} on real bridges and veths, and
 * what a network keeps on disk (labels, creation time, its endpoints after an auto-remove).
 */
class ContainerNetworkConnectTest {
  @TempDir static Path home;
  static BusyboxEngine engine;
  static Berth berth;
  static Image busybox;

  @BeforeAll
  static void pull() {
    engine = BusyboxEngine.start(home, "user-defined networks need root (bridges, veths, nftables)");
    berth = engine.berth();
    busybox = engine.busybox();
  }

  @AfterEach
  void removeNetworks() {
    berth.containers(true).forEach(c -> berth.container(c.id()).remove(true));
    berth.networks().forEach(n -> berth.removeNetwork(n.name(), true));
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  /** busybox httpd serving its name on port 80, detached. */
  private static Container web(String name, String network) {
    return busybox.run(RunOptions.builder().name(name).network(network).detach(true)
        .command("sh", "-c", "echo " + name + " > /tmp/index.html; exec httpd -f -p 80 -h /tmp").build());
  }

  /** Fetches http://host/ from inside the container, retrying for a few seconds. */
  private static ExecResult fetch(Container from, String host) throws InterruptedException {
    return from.exec("sh", "-c", "for i in $(seq 1 25); do wget -qO- http://" + host
        + "/ && exit 0; sleep 0.2; done; exit 1");
  }

  private static String interfaces(Container c) throws InterruptedException {
    return c.exec("ls", "/sys/class/net").stdout();
  }

  @Test
  @RemoteDiffers(value = RemoteDiffers.NO_DNS, on = "podman")
  void connect_runningContainer_getsEth1AndReachesPeersByNameAndAlias() throws Exception {
    berth.createNetwork("cn-front");
    berth.createNetwork("cn-back");
    Container a = web("cn-a", "cn-front");
    Container b = web("cn-b", "cn-back");

    a.connect("cn-back", List.of("a-alias"));

    assertThat(interfaces(a).split("\n")).contains("eth0", "eth1");
    assertThat(fetch(a, "cn-b").stdout()).isEqualTo("cn-b\n");
    assertThat(fetch(b, "a-alias").stdout()).isEqualTo("cn-a\n");
    assertThat(fetch(b, "cn-a").stdout()).isEqualTo("cn-a\n");
    // the default route stays on the network it started on
    assertThat(a.exec("ip", "route").stdout()).contains("default via "
        + berth.networks().stream().filter(n -> n.name().equals("cn-front")).findFirst().orElseThrow().gateway()
        + " dev eth0");
    List<ContainerInfo.Endpoint> eps = a.inspect().networks();
    assertThat(eps).extracting(ContainerInfo.Endpoint::network).containsExactly("cn-front", "cn-back");
    assertThat(eps.get(1).ipAddress()).startsWith("10.89.");
    assertThat(eps.get(1).aliases()).contains("cn-a", "a-alias");
    assertThat(eps.get(1).macAddress()).isNotEmpty();
    assertThat(berth.networks().stream().filter(n -> n.name().equals("cn-back")).findFirst().orElseThrow()
        .containers()).containsExactlyInAnyOrder(a.id(), b.id());
  }

  @Test
  @RemoteDiffers(value = RemoteDiffers.NO_DNS, on = "podman")
  void disconnect_runningContainer_removesTheInterfaceAndItsNames() throws Exception {
    berth.createNetwork("cn-front");
    berth.createNetwork("cn-back");
    Container a = web("cn-a", "cn-front");
    Container b = web("cn-b", "cn-back");
    a.connect("cn-back", List.of("a-alias"));
    assertThat(fetch(b, "a-alias").exitCode()).isZero();

    a.disconnect("cn-back", false);

    assertThat(interfaces(a).split("\n")).contains("eth0").doesNotContain("eth1");
    assertThat(b.exec("cat", "/etc/hosts").stdout()).doesNotContain("a-alias").doesNotContain("cn-a");
    assertThat(a.exec("cat", "/etc/hosts").stdout()).doesNotContain("cn-b");
    assertThat(a.inspect().networks()).extracting(ContainerInfo.Endpoint::network).containsExactly("cn-front");
    assertThat(berth.networks().stream().filter(n -> n.name().equals("cn-back")).findFirst().orElseThrow()
        .containers()).containsExactly(b.id());
    assertThatThrownBy(() -> a.disconnect("cn-back", false))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("cn-a").hasMessageContaining("is not connected to network cn-back");
  }

  @Test
  @RemoteDiffers(value = RemoteDiffers.NO_DNS, on = "podman")
  void connect_createdContainer_isWiredWhenItStartsAndAfterARestart() throws Exception {
    berth.createNetwork("cn-front");
    berth.createNetwork("cn-back");
    Container b = web("cn-b", "cn-back");
    Container a = busybox.create(RunOptions.builder().name("cn-late").network("cn-front").detach(true)
        .command("sleep", "300").build());

    a.connect("cn-back", List.of());
    assertThat(berth.networks().stream().filter(n -> n.name().equals("cn-back")).findFirst().orElseThrow()
        .containers()).containsExactly(b.id()); // a takes its place when it starts
    a.start();

    assertThat(interfaces(a).split("\n")).contains("eth0", "eth1");
    assertThat(fetch(a, "cn-b").stdout()).isEqualTo("cn-b\n");
    assertThat(b.exec("cat", "/etc/hosts").stdout()).contains("cn-late");

    a.restart(Duration.ofSeconds(1));
    assertThat(interfaces(a).split("\n")).contains("eth0", "eth1");
    assertThat(fetch(a, "cn-b").stdout()).isEqualTo("cn-b\n");
    assertThat(a.inspect().networks()).extracting(ContainerInfo.Endpoint::network).containsExactly("cn-front", "cn-back");
  }

  @Test
  void connect_createdContainer_hasTheInterfaceAtItsFirstInstruction() throws Exception {
    berth.createNetwork("cn-front");
    berth.createNetwork("cn-back");
    Container a = busybox.create(RunOptions.builder().name("cn-first").network("cn-front").detach(true)
        .command("sh", "-c", "ls /sys/class/net; ip -4 -o addr show eth1").build());
    a.connect("cn-back", List.of());

    a.start();
    assertThat(a.waitFor()).isZero();

    assertThat(a.logs()).contains("eth0\neth1\nlo\n").containsPattern("eth1 +inet 10\\.89\\.");
  }

  @Test
  @RemoteDiffers(value = RemoteDiffers.NO_DNS, on = "podman")
  void connect_privateNetworkContainer_getsTheNetworkToo() throws Exception {
    berth.createNetwork("cn-back");
    Container b = web("cn-b", "cn-back");
    Container a = busybox.run(RunOptions.builder().name("cn-private").detach(true).command("sleep", "300").build());

    a.connect("cn-back", List.of());

    assertThat(fetch(a, "cn-b").stdout()).isEqualTo("cn-b\n");
    assertThat(a.inspect().networks()).extracting(ContainerInfo.Endpoint::network).contains("cn-back");
  }

  @Test
  void connect_twice_throwsNamingContainerAndNetwork() {
    berth.createNetwork("cn-front");
    Container a = web("cn-a", "cn-front");
    assertThatThrownBy(() -> a.connect("cn-front", List.of()))
        .isInstanceOf(BerthException.class)
        .hasMessage("Container cn-a is already connected to network cn-front");
  }

  @Test
  void connect_unknownNetwork_throwsNoSuchNetwork() {
    Container a = busybox.create(RunOptions.builder().name("cn-lonely").command("true").build());
    assertThatThrownBy(() -> a.connect("cn-missing", List.of()))
        .isInstanceOf(BerthException.class)
        .hasMessageStartingWith("No such network: cn-missing");
  }

  @Test
  @RemoteDiffers(value = RemoteDiffers.ENGINE_WORDS, on = "podman")
  void connect_hostModeContainer_isRefusedSayingWhy() {
    berth.createNetwork("cn-front");
    Container a = busybox.create(RunOptions.builder().name("cn-host").network("host").command("true").build());
    assertThatThrownBy(() -> a.connect("cn-front", List.of()))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("cn-host").hasMessageContaining("cn-front")
        .hasMessageContaining("network mode is host");
  }

  @Test
  @RemoteDiffers(RemoteDiffers.LOCAL_HOME)
  void autoRemove_onAUserDefinedNetwork_leavesNoEndpointBehind() throws Exception {
    berth.createNetwork("cn-front");
    Container peer = web("cn-peer", "cn-front");
    Container gone = busybox.run(RunOptions.builder().name("cn-gone").network("cn-front").autoRemove(true)
        .detach(true).command("sleep", "1").build());
    String goneId = gone.id();
    gone.waitFor();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (Files.exists(home.resolve("containers").resolve(goneId)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    assertThat(berth.networks().get(0).containers()).containsExactly(peer.id());
    assertThat(peer.exec("cat", "/etc/hosts").stdout()).doesNotContain("cn-gone");
    peer.remove(true);
    berth.removeNetwork("cn-front", false); // nothing attached any more: no force needed
    assertThat(berth.networks()).isEmpty();
  }

  @Test
  void createNetwork_withLabels_keepsThemAndTheTimeOnDisk() {
    Instant before = Instant.now().minusSeconds(1);
    berth.createNetwork("cn-labels", Map.of("team", "payments"));

    try (Berth again = Registries.engine(home, Registries.plainWith("busybox"))) {
      NetworkInfo n = again.networks().get(0);
      assertThat(n.labels()).isEqualTo(Map.of("team", "payments"));
      assertThat(n.created()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
    }
  }
}
