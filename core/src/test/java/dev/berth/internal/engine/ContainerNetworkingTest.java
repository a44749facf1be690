package dev.berth.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.BerthException;
import dev.berth.NetworkMode;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import dev.berth.internal.net.NetworkSpec;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.StoredOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/** A container's network mode, ports and networks as the helper's network spec: pure, no root. */
class ContainerNetworkingTest {
  private static final String ID = "c".repeat(64);
  private static final PortMapping WEB = new PortMapping("127.0.0.1", 8080, 80, "tcp");
  private static final ToLongFunction<String> NO_JOIN = name -> {
    throw new AssertionError("no container to join: " + name);
  };

  @Test
  void privateMode_withPorts_publishesThemOnThePrivateNetwork() {
    NetworkSpec spec = ContainerNetworking.networkSpec(NetworkMode.PRIVATE, List.of(WEB),
        record("private", List.of()), NO_JOIN);

    assertThat(spec).isEqualTo(NetworkSpec.privateNetwork(WEB));
  }

  @Test
  void privateMode_connectedLater_wiresThoseNetworksAsMoreWithHostnameNameAndAliases() {
    ContainerRecord r = record("private", List.of(new ContainerRecord.NetworkRef("back", List.of("db", "web"))));

    NetworkSpec spec = ContainerNetworking.networkSpec(NetworkMode.PRIVATE, List.of(), r, NO_JOIN);

    assertThat(spec.mode()).isEqualTo(NetworkSpec.Mode.PRIVATE);
    assertThat(spec.more()).containsExactly(new NetworkSpec.More("back", List.of("host1", "web", "db")));
  }

  @Test
  void noneAndHost_mapToTheirModes() {
    assertThat(ContainerNetworking.networkSpec(NetworkMode.NONE, List.of(), record("none", List.of()), NO_JOIN))
        .isEqualTo(NetworkSpec.none());
    assertThat(ContainerNetworking.networkSpec(NetworkMode.HOST, List.of(), record("host", List.of()), NO_JOIN))
        .isEqualTo(NetworkSpec.host());
  }

  @Test
  void hostMode_withPorts_throwsConflictingOptions() {
    assertThatThrownBy(() -> ContainerNetworking.networkSpec(NetworkMode.HOST, List.of(WEB),
        record("host", List.of()), NO_JOIN))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("conflicting options: port publishing and the network mode host");
  }

  @Test
  void joinContainer_joinsTheInitPidOfTheNamedContainer() {
    NetworkSpec spec = ContainerNetworking.networkSpec(NetworkMode.parse("container:db"), List.of(),
        record("container:db", List.of()), name -> name.equals("db") ? 4242 : -1);

    assertThat(spec).isEqualTo(NetworkSpec.joining(4242));
  }

  @Test
  void userDefined_bridgesTheFirstNetworkWithNameAndAliases_andTheRestAsMore() {
    ContainerRecord r = record("front", List.of(new ContainerRecord.NetworkRef("front", List.of("www")),
        new ContainerRecord.NetworkRef("back", List.of())));

    NetworkSpec spec = ContainerNetworking.networkSpec(new NetworkMode.UserDefined("front"), List.of(WEB), r, NO_JOIN);

    assertThat(spec.mode()).isEqualTo(NetworkSpec.Mode.BRIDGE);
    assertThat(spec.network()).isEqualTo("front");
    assertThat(spec.aliases()).containsExactly("web", "www");
    assertThat(spec.ports()).containsExactly(WEB);
    assertThat(spec.more()).containsExactly(new NetworkSpec.More("back", List.of("host1", "web")));
  }

  @Test
  void userDefined_disconnectedFromEveryNetwork_keepsLoAndItsPortsOnly() {
    NetworkSpec spec = ContainerNetworking.networkSpec(new NetworkMode.UserDefined("front"), List.of(WEB),
        record("front", List.of()), NO_JOIN);

    assertThat(spec).isEqualTo(new NetworkSpec(NetworkSpec.Mode.NONE, null, 0, List.of(), List.of(WEB)));
  }

  @Test
  void publishAll_putsEachExposedPortOnAFreeLoopbackPort_tcpUnlessNamed() {
    assertThat(ContainerNetworking.publishedOnLoopback(List.of("80/tcp", "53/udp", "8080")))
        .containsExactly(new PortMapping("127.0.0.1", 0, 80, "tcp"), new PortMapping("127.0.0.1", 0, 53, "udp"),
            new PortMapping("127.0.0.1", 0, 8080, "tcp"));
    assertThat(ContainerNetworking.publishedOnLoopback(Set.of())).isEmpty();
  }

  @Test
  void namesOn_hostnameFirst_thenNameAndAliases_withoutRepeats() {
    ContainerRecord r = record("front", List.of());

    assertThat(ContainerNetworking.namesOn(r, new ContainerRecord.NetworkRef("front", List.of("web", "api"))))
        .containsExactly("host1", "web", "api");
  }

  @Test
  void networkOf_anOldRecordWithoutANetwork_isPrivateAndMayBeOnAUserDefinedOne() {
    ContainerRecord old = record(null, List.of());

    assertThat(ContainerNetworking.networkOf(old)).isEqualTo(NetworkMode.PRIVATE);
    assertThat(ContainerNetworking.onUserDefinedNetwork(old)).isTrue();
    assertThat(ContainerNetworking.onUserDefinedNetwork(record("host", List.of()))).isFalse();
    assertThat(ContainerNetworking.onUserDefinedNetwork(record("front", List.of()))).isTrue();
  }

  /** A record named "web" with host name "host1". */
  private static ContainerRecord record(String network, List<ContainerRecord.NetworkRef> networks) {
    RunOptions opts = RunOptions.builder().command("true").build();
    return new ContainerRecord(ID, "web", "busybox", "sha256:" + "b".repeat(64),
        "2026-12-01T10:00:00Z", List.of("true"), List.of(), "/", "", "host1", Map.of(),
        List.of(), false, false, false, "boot", network, List.of(), "NONE", "OVERLAY",
        StoredOptions.from(opts), networks);
  }
}
