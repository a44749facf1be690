package dev.berth.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.BerthException;
import dev.berth.internal.linux.Linux;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User-defined networks with the real ip and nft on this host (root), no containers. */
class NetworksTest {
  @TempDir Path tmp;
  private Networks networks;
  private final List<String> created = new ArrayList<>();

  @BeforeEach
  void setUp() {
    networks = new Networks(tmp.resolve("home"));
  }

  @AfterEach
  void removeNetworks() {
    for (String n : created) {
      if (networks.get(n).isPresent()) networks.remove(n, true);
    }
  }

  private Network create() {
    assumeTrue(NetworkCapabilities.probe().supports(NetworkSpec.Mode.BRIDGE),
        "user-defined networks need root, ip and nft: " + NetworkCapabilities.probe().whyNot(NetworkSpec.Mode.BRIDGE).orElse(""));
    String name = "t" + UUID.randomUUID().toString().substring(0, 8);
    created.add(name);
    return networks.create(name);
  }

  private Path hostsFile(String name) throws Exception {
    return Files.createFile(tmp.resolve(name + ".hosts"));
  }

  @Test
  void create_makesTheBridgeWithTheGatewayAddress() throws Exception {
    Network n = create();
    assertThat(Path.of("/sys/class/net", n.bridge())).exists();
    assertThat(run("ip", "-4", "-o", "addr", "show", "dev", n.bridge())).contains(n.gateway() + "/24");
  }

  @Test
  void create_subnetAvoidsEveryRouteOfTheHost() throws Exception {
    Network n = create();
    List<Subnet> others = new ArrayList<>();
    for (String line : run("ip", "-4", "route", "show", "table", "all").split("\n")) {
      String dest = line.split(" ")[0];
      if (dest.matches("[0-9./]+") && !line.contains("dev " + n.bridge() + " ")) others.add(Subnet.parse(dest));
    }
    assertThat(others).noneMatch(Subnet.parse(n.subnet())::overlaps);
  }

  @Test
  void create_twoNetworks_getDifferentSubnets() {
    assertThat(create().subnet()).isNotEqualTo(create().subnet());
  }

  @Test
  void create_addsAMasqueradeChainInBerthsTable() throws Exception {
    Network n = create();
    assertThat(run("nft", "list", "chain", "inet", "berth", "nat-" + n.bridge())).contains("masquerade").contains(n.subnet());
  }

  @Test
  void create_existingName_isRefused() {
    Network n = create();
    assertThatThrownBy(() -> networks.create(n.name())).isInstanceOf(BerthException.class).hasMessageContaining("already exists");
  }

  @Test
  void create_badName_isRefusedSayingWhatIsAllowed() {
    assertThatThrownBy(() -> networks.create("no/slash")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"no/slash\" is invalid");
  }

  @Test
  void remove_withAttachedContainer_isRefusedNamingIt() throws Exception {
    Network n = create();
    networks.attach(n.name(), "c1", List.of("web"), hostsFile("c1"));
    assertThatThrownBy(() -> networks.remove(n.name(), false)).isInstanceOf(BerthException.class).hasMessageContaining("[c1]");
  }

  @Test
  void remove_forced_deletesBridgeAndChain() throws Exception {
    Network n = create();
    networks.attach(n.name(), "c1", List.of("web"), hostsFile("c1"));
    networks.remove(n.name(), true);
    assertThat(Path.of("/sys/class/net", n.bridge())).doesNotExist();
    assertThat(networks.get(n.name())).isEmpty();
    assertThat(runAllowingFailure("nft", "list", "table", "inet", "berth")).doesNotContain("nat-" + n.bridge());
  }

  @Test
  void remove_unknown_saysItDoesNotExist() {
    assertThatThrownBy(() -> networks.remove("nosuch", false)).isInstanceOf(BerthException.class).hasMessageContaining("does not exist");
  }

  @Test
  void attach_unknownNetwork_saysItDoesNotExist() {
    assumeTrue(Linux.isRoot(), "attaching needs root");
    assertThatThrownBy(() -> networks.attach("nosuch", "c1", List.of("web"), tmp.resolve("h")))
        .isInstanceOf(BerthException.class).hasMessageContaining("No such network: nosuch does not exist");
  }

  @Test
  void attach_sameContainerTwice_isRefused() throws Exception {
    Network n = create();
    networks.attach(n.name(), "c1", List.of("web"), hostsFile("c1"));
    assertThatThrownBy(() -> networks.attach(n.name(), "c1", List.of("web"), tmp.resolve("c1.hosts")))
        .isInstanceOf(BerthException.class).hasMessageContaining("is already connected to network " + n.name());
  }

  @Test
  void attach_second_addsItsNameToTheFirstsHostsFile() throws Exception {
    Network n = create();
    Networks.Attachment a = networks.attach(n.name(), "c1", List.of("web"), hostsFile("c1"));
    Networks.Attachment b = networks.attach(n.name(), "c2", List.of("db", "postgres"), hostsFile("c2"));
    assertThat(a.address()).isNotEqualTo(b.address());
    assertThat(Files.readString(tmp.resolve("c1.hosts"))).contains(b.address().split("/")[0] + "\tdb postgres");
  }

  @Test
  void detach_removesTheNameFromPeersHostsFiles() throws Exception {
    Network n = create();
    networks.attach(n.name(), "c1", List.of("web"), hostsFile("c1"));
    networks.attach(n.name(), "c2", List.of("db"), hostsFile("c2"));
    networks.detach("c2");
    assertThat(Files.readString(tmp.resolve("c1.hosts"))).doesNotContain("db");
    assertThat(networks.get(n.name()).orElseThrow().endpoints()).extracting(Endpoint::containerId).containsExactly("c1");
  }

  @Test
  void list_showsCreatedNetworksByName() {
    Network a = create();
    Network b = create();
    assertThat(networks.list()).extracting(Network::name).containsExactlyInAnyOrder(a.name(), b.name());
  }

  @Test
  void freeSubnet_skipsTheUsedOnes() {
    assertThat(Networks.freeSubnet(List.of(Subnet.parse("10.89.0.0/24"), Subnet.parse("10.89.1.5/32"))))
        .hasToString("10.89.2.0/24");
  }

  @Test
  void freeSubnet_wholePoolUsed_failsSayingSo() {
    assertThatThrownBy(() -> Networks.freeSubnet(List.of(Subnet.parse("10.0.0.0/8")))).isInstanceOf(BerthException.class)
        .hasMessageContaining("No free /24");
  }

  @Test
  void bridgeName_longName_isHashedToFitAnInterfaceName() {
    assertThat(Networks.bridgeName("my-very-long-network-name")).startsWith("berth-").hasSize(15);
    assertThat(Networks.bridgeName("app")).isEqualTo("berth-app");
  }

  private static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  private static String runAllowingFailure(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
