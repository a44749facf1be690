package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testsupport.BusyboxEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's rename. */
class ContainerRenameTest {
  @TempDir static Path home;
  static Berth berth;
  static Image busybox;
  static BusyboxEngine engine;

  @BeforeAll
  static void pull() {
    engine = BusyboxEngine.start(home, "renames containers as root; rootless runs are in RootlessTest");
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
  void rename_createdContainer_findsItByTheNewNameAndFreesTheOld() {
    try (Container c = busybox.create(RunOptions.builder().name("old-name").command("true").build())) {
      c.rename("new-name");
      assertThat(c.name()).isEqualTo("new-name");
      assertThat(c.inspect().name()).isEqualTo("new-name");
      assertThat(berth.container("new-name").id()).isEqualTo(c.id());
      assertThatThrownBy(() -> berth.container("old-name")).hasMessageContaining("No such container");
      try (Container other = busybox.create(RunOptions.builder().name("old-name").command("true").build())) {
        assertThat(other.name()).isEqualTo("old-name");
      }
    }
  }

  @Test
  void rename_runningContainer_keepsItRunningAndStartsAgainUnderTheNewName() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().name("running-old").detach(true)
        .command("sleep", "60").build())) {
      c.rename("running-new");
      assertThat(c.isAlive()).isTrue();
      assertThat(berth.containers(false)).extracting(ContainerInfo::name).contains("running-new")
          .doesNotContain("running-old");
      c.restart(java.time.Duration.ofSeconds(1));
      assertThat(berth.container("running-new").inspect().isRunning()).isTrue();
    }
  }

  @Test
  void rename_onUserDefinedNetwork_peersReachItByTheNewNameAtOnce() throws Exception {
    berth.createNetwork("berth-rename-net");
    try (Container server = busybox.run(RunOptions.builder().name("srv-old").detach(true)
        .network("berth-rename-net").command("sh", "-c", "echo served > /tmp/index.html; httpd -f -p 80 -h /tmp").build());
        Container peer = busybox.run(RunOptions.builder().detach(true).network("berth-rename-net")
            .command("sleep", "60").build())) {
      server.rename("srv-new");

      assertThat(peer.exec("cat", "/etc/hosts").stdout()).contains("srv-new").doesNotContain("srv-old");
      assertThat(peer.exec("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://srv-new/ && exit 0; sleep 0.2; done; exit 1").stdout())
          .isEqualTo("served\n");
      assertThat(server.inspect().networks()).singleElement()
          .satisfies(e -> assertThat(e.aliases()).contains("srv-new").doesNotContain("srv-old"));
    } finally {
      berth.removeNetwork("berth-rename-net", true);
    }
  }

  @Test
  void rename_toATakenName_throwsNamingItsHolder() {
    try (Container a = busybox.create(RunOptions.builder().name("holder-a").command("true").build());
        Container b = busybox.create(RunOptions.builder().name("holder-b").command("true").build())) {
      assertThatThrownBy(() -> b.rename("holder-a")).isInstanceOf(BerthException.class)
          .hasMessageContaining("\"/holder-a\" is already in use").hasMessageContaining(a.id());
      assertThat(b.name()).isEqualTo("holder-b");
      assertThat(berth.container("holder-b").id()).isEqualTo(b.id());
    }
  }

  @Test
  void rename_toItsOwnName_throws() {
    try (Container c = busybox.create(RunOptions.builder().name("same-name").command("true").build())) {
      assertThatThrownBy(() -> c.rename("same-name")).isInstanceOf(BerthException.class)
          .hasMessageContaining("same name");
    }
  }

  @Test
  void rename_toAnInvalidName_throwsIllegalArgument() {
    try (Container c = busybox.create(RunOptions.command("true"))) {
      assertThatThrownBy(() -> c.rename("bad name!")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bad name!");
    }
  }

  @Test
  void rename_removedContainer_throwsNoSuchContainer() {
    Container c = busybox.create(RunOptions.command("true"));
    c.remove(false);
    assertThatThrownBy(() -> c.rename("after-removal")).isInstanceOf(BerthException.class)
        .hasMessageContaining("No such container");
  }
}
