package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Options that are choices are parsed once, where they are written (issue #15, item 2). */
class RunOptionsTypedTest {

  @Test
  void network_wordsParseToTheirModes() {
    assertThat(NetworkMode.parse("private")).isSameAs(NetworkMode.PRIVATE);
    assertThat(NetworkMode.parse("none")).isSameAs(NetworkMode.NONE);
    assertThat(NetworkMode.parse("host")).isSameAs(NetworkMode.HOST);
    assertThat(NetworkMode.parse("container:db")).isEqualTo(new NetworkMode.JoinContainer("db"));
    assertThat(NetworkMode.parse("web")).isEqualTo(new NetworkMode.UserDefined("web"));
  }

  @Test
  void network_printsAsTheWordItWasParsedFrom() {
    for (String word : new String[] {"private", "none", "host", "container:db", "web"}) {
      assertThat(NetworkMode.parse(word)).hasToString(word);
    }
  }

  @Test
  void network_builderTakesWordsAndTypes_alike() {
    assertThat(RunOptions.builder().network("container:db").build().network())
        .isEqualTo(RunOptions.builder().network(new NetworkMode.JoinContainer("db")).build().network());
    assertThat(RunOptions.builder().build().network().mode()).isSameAs(NetworkMode.PRIVATE);
  }

  @Test
  void network_blankOrEmptyContainer_failsAtTheBuilder() {
    assertThatThrownBy(() -> RunOptions.builder().network(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("network must be");
    assertThatThrownBy(() -> RunOptions.builder().network("container:"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("container name");
  }

  @Test
  void network_sharedOrAbsentModes_areTheOnesWithoutPublishing() {
    assertThat(NetworkMode.NONE.sharesOrLacksNetwork()).isTrue();
    assertThat(NetworkMode.HOST.sharesOrLacksNetwork()).isTrue();
    assertThat(NetworkMode.parse("container:x").sharesOrLacksNetwork()).isTrue();
    assertThat(NetworkMode.PRIVATE.sharesOrLacksNetwork()).isFalse();
    assertThat(NetworkMode.parse("web").sharesOrLacksNetwork()).isFalse();
  }

  @Test
  void capability_unknownName_failsAtTheBuilder_namingIt() {
    assertThatThrownBy(() -> RunOptions.builder().capAdd("NET_ADMINS"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NET_ADMINS");
    assertThatThrownBy(() -> RunOptions.builder().capDrop("CAP_NOPE"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CAP_NOPE");
  }

  @Test
  void capability_knownNamesInEveryForm_andAll_areAccepted() {
    RunOptions o = RunOptions.builder().capAdd("NET_ADMIN").capAdd("cap_sys_ptrace")
        .capAdd("ALL").capDrop("all").build();
    assertThat(o.security().capAdd()).containsExactly(Capability.NET_ADMIN, Capability.SYS_PTRACE);
    assertThat(o.security().capAddAll()).isTrue();
    assertThat(o.security().capDrop()).isEmpty();
    assertThat(o.security().capDropAll()).isTrue();
  }

  @Test
  void capability_typedAndNamed_giveTheSameOptions() {
    assertThat(RunOptions.builder().capAdd(Capability.NET_ADMIN).capDrop(Capability.NET_RAW).build())
        .isEqualTo(RunOptions.builder().capAdd("cap_net_admin").capDrop("NET_RAW").build());
  }

  @Test
  void seccomp_wordsParseToTheirProfiles() {
    assertThat(SeccompProfile.parse("default")).isSameAs(SeccompProfile.DEFAULT);
    assertThat(SeccompProfile.parse("unconfined")).isSameAs(SeccompProfile.UNCONFINED);
    assertThat(SeccompProfile.parse("/etc/p.json"))
        .isEqualTo(new SeccompProfile.File(java.nio.file.Path.of("/etc/p.json")));
    assertThat(SeccompProfile.parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}"))
        .isInstanceOf(SeccompProfile.Json.class);
    assertThat(RunOptions.builder().seccomp("unconfined").build().security().seccomp())
        .isSameAs(SeccompProfile.UNCONFINED);
  }

  @Test
  void seccomp_blank_failsAtTheBuilder() {
    assertThatThrownBy(() -> RunOptions.builder().seccomp(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seccomp must be");
  }

  @Test
  void options_readByConcern() {
    RunOptions o = RunOptions.builder().command("sh").user("1000").memory(64L << 20)
        .hostname("db").publish(5432).readOnlyRootfs(true).build();
    assertThat(o.process().command()).containsExactly("sh");
    assertThat(o.process().user()).isEqualTo("1000");
    assertThat(o.limits().memoryBytes()).isEqualTo(64L << 20);
    assertThat(o.network().hostname()).isEqualTo("db");
    assertThat(o.network().ports()).hasSize(1);
    assertThat(o.security().readOnlyRootfs()).isTrue();
    assertThat(o.toBuilder().build()).isEqualTo(o);
  }
}
