package dev.berth.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.PortMapping;
import dev.berth.RunOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The immutable definitions: validation of every input, equality, variants. No containers. */
class FixtureDefinitionTest {
  @Test
  void builder_blankImage_isRefusedWithAnExample() {
    assertThatThrownBy(() -> Fixture.builder(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Fixture.builder(\"postgres\")");
  }

  @Test
  void publish_portOutOfRange_isRefusedNamingThePort() {
    assertThatThrownBy(() -> Fixture.builder("redis").publish(70000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
  }

  @Test
  void env_nameWithEquals_isRefused() {
    assertThatThrownBy(() -> Fixture.builder("redis").env("A=B", "c"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'A=B'");
  }

  @Test
  void startupTimeout_zero_isRefused() {
    assertThatThrownBy(() -> Fixture.builder("redis").startupTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
  }

  @Test
  void waitingFor_defaultsToEveryPublishedPortListening() {
    Fixture f = Fixture.builder("redis").publish(6379, 6380).build();
    assertThat(f.waitStrategy()).isEqualTo(
        Wait.allOf(Wait.forListeningPort(6379), Wait.forListeningPort(6380)));
  }

  @Test
  void waitingFor_withoutPortsOrWait_isNothing() {
    assertThat(Fixture.builder("busybox").build().waitStrategy()).isNull();
  }

  @Test
  void equalDefinitions_areEqualValues() {
    Fixture a = Fixture.builder("postgres").env("POSTGRES_PASSWORD", "x").publish(5432).build();
    Fixture b = Fixture.builder("postgres").env("POSTGRES_PASSWORD", "x").publish(5432).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.definitionHash()).isEqualTo(b.definitionHash()).hasSize(64);
  }

  @Test
  void toBuilder_makesAVariant_leavingTheOriginalAlone() {
    Fixture a = Fixture.builder("postgres").env("POSTGRES_PASSWORD", "x").build();
    Fixture b = a.toBuilder().env("POSTGRES_DB", "app").build();
    assertThat(a.options().process().env()).containsOnlyKeys("POSTGRES_PASSWORD");
    assertThat(b.options().process().env()).containsOnlyKeys("POSTGRES_PASSWORD", "POSTGRES_DB");
    assertThat(a.definitionHash()).isNotEqualTo(b.definitionHash());
  }

  @Test
  void definitionHash_ignoresTheWait_whichDoesNotChangeTheContainer() {
    Fixture a = Fixture.builder("redis").build();
    Fixture b = a.toBuilder().waitingFor(Wait.forListeningPort(6379)).build();
    assertThat(a.definitionHash()).isEqualTo(b.definitionHash());
  }

  @Test
  void env_cannotBeChangedThroughTheGetter() {
    Fixture f = Fixture.builder("redis").env("A", "1").build();
    assertThatThrownBy(() -> f.options().process().env().put("B", "2"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toString_namesImagePortsAndEnvNamesButNoValues() {
    Fixture f = Fixture.builder("postgres").env("POSTGRES_PASSWORD", "secret").publish(5432)
        .build();
    assertThat(f.toString()).isEqualTo("Fixture{postgres, ports=[5432], env=[POSTGRES_PASSWORD]}");
  }

  @Test
  void networkAlias_withoutNetwork_isRefusedSayingWhatToAdd() {
    assertThatThrownBy(() -> Fixture.builder("postgres").networkAlias("db").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".network(");
  }

  @Test
  void network_blank_isRefused() {
    assertThatThrownBy(() -> Fixture.builder("postgres").network(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("createNetwork");
  }

  @Test
  void definitionHash_includesTheNetworkAndAliases() {
    Fixture a = Fixture.builder("postgres").network("tests").build();
    assertThat(a.definitionHash())
        .isNotEqualTo(a.toBuilder().networkAlias("db").build().definitionHash())
        .isNotEqualTo(Fixture.builder("postgres").build().definitionHash());
  }

  @Test
  void options_carryEveryRunOption_andTheShortcutsAddToThem() {
    RunOptions limits = RunOptions.builder().memory(256L << 20).user("1000")
        .tmpfs("/scratch", 0, 01777).env("A", "1").build();
    Fixture f = Fixture.builder("postgres").options(limits).env("B", "2").publish(5432).build();
    assertThat(f.options().limits().memoryBytes()).isEqualTo(256L << 20);
    assertThat(f.options().process().user()).isEqualTo("1000");
    assertThat(f.options().mounts()).hasSize(1);
    assertThat(f.options().process().env()).containsExactly(Map.entry("A", "1"), Map.entry("B", "2"));
    assertThat(FixtureStarter.options(f).network().ports()).extracting(PortMapping::containerPort)
        .containsExactly(5432);
  }

  @Test
  void definitionHash_coversEveryRunOption() {
    Fixture a = Fixture.builder("redis").build();
    Fixture b = Fixture.builder("redis").options(RunOptions.builder().memory(64L << 20).build())
        .build();
    assertThat(a.definitionHash()).isNotEqualTo(b.definitionHash());
    assertThat(b.definitionHash()).isEqualTo(b.toBuilder().build().definitionHash());
  }

  @Test
  void definitionHash_doesNotDependOnTheOrderLabelsWereSet() {
    Fixture a = Fixture.builder("redis").options(RunOptions.builder().label("x", "1")
        .label("y", "2").build()).build();
    Fixture b = Fixture.builder("redis").options(RunOptions.builder().label("y", "2")
        .label("x", "1").build()).build();
    assertThat(a.definitionHash()).isEqualTo(b.definitionHash());
  }

  @Test
  void publish_samePortTwice_publishesItOnce() {
    Fixture f = Fixture.builder("redis").publish(6379).publish(6379).build();
    assertThat(f.options().network().ports()).hasSize(1);
  }

  @Test
  void forLogMessage_badRegex_isRefusedNamingIt() {
    assertThatThrownBy(() -> Wait.forLogMessage("ready(", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ready('");
  }

  @Test
  void forLogMessage_zeroTimes_isRefused() {
    assertThatThrownBy(() -> Wait.forLogMessage("ready", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
  }

  @Test
  void forListeningPort_zero_isRefused() {
    assertThatThrownBy(() -> Wait.forListeningPort(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..65535");
  }

  @Test
  void forHttp_pathWithoutSlash_isRefused() {
    assertThatThrownBy(() -> Wait.forHttp(80, "health", 200))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with /");
  }

  @Test
  void forHttp_statusOutOfRange_isRefused() {
    assertThatThrownBy(() -> Wait.forHttp(80, "/", 42))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100..599");
  }

  @Test
  void forCommand_empty_isRefusedWithAnExample() {
    assertThatThrownBy(Wait::forCommand)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pg_isready");
  }

  @Test
  void allOf_nothing_isRefused() {
    assertThatThrownBy(Wait::allOf)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
  }

  @Test
  void withTimeout_negative_isRefused() {
    assertThatThrownBy(() -> Wait.forListeningPort(80).withTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
  }

  @Test
  void withTimeout_returnsAnEqualStrategyWithTheTimeout() {
    Wait w = Wait.forLogMessage("ready", 2).withTimeout(Duration.ofSeconds(5));
    assertThat(w).isEqualTo(new Wait.LogMessage("ready", 2, Duration.ofSeconds(5)));
  }
}
