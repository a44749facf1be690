package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.ContainerInfo;
import dev.berth.HostInfo;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import dev.berth.internal.engine.PublicValues;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PsTableTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void render_laysOutDockerPsColumns() {
    ContainerInfo running = PublicValues.get().containerInfo("a".repeat(64), "brave_curie", "node", "sha256:x",
        List.of("docker-entrypoint.sh", "node", "server.js"), NOW.minusSeconds(120),
        ContainerInfo.State.RUNNING, 0, NOW.minusSeconds(3), null, 42, false,
        List.of(new PortMapping("127.0.0.1", 32768, 3000, "tcp")), Map.of(),
        HostInfo.UserNamespace.NONE, HostInfo.RootfsMode.OVERLAY,
        RunOptions.builder().build(), List.of(), "/", "", "host", List.of());
    ContainerInfo exited = PublicValues.get().containerInfo("b".repeat(64), "wise_turing", "busybox",
        "sha256:y", List.of("sh"), NOW.minusSeconds(7200), ContainerInfo.State.EXITED, 0,
        NOW.minusSeconds(7000), NOW.minusSeconds(300), 0, false, List.of(), Map.of(),
        HostInfo.UserNamespace.NONE, HostInfo.RootfsMode.OVERLAY,
        RunOptions.builder().build(), List.of(), "/", "", "host", List.of());

    String table = PsTable.render(List.of(running, exited), NOW);

    assertThat(table.lines().toList()).containsExactly(
        "CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS"
            + "                     PORTS                       NAMES",
        "aaaaaaaaaaaa   node      \"docker-entrypoint.s…\"   2 minutes ago   Up 3 seconds"
            + "               127.0.0.1:32768->3000/tcp   brave_curie",
        "bbbbbbbbbbbb   busybox   \"sh\"                     2 hours ago     Exited (0) 5 minutes ago"
            + "                               wise_turing");
  }

  @Test
  void status_ofACreatedContainer_isCreated() {
    ContainerInfo created = PublicValues.get().containerInfo("c".repeat(64), "n", "i", "sha256:z", List.of(),
        NOW, ContainerInfo.State.CREATED, 0, null, null, 0, false, List.of(), Map.of(),
        HostInfo.UserNamespace.NONE, HostInfo.RootfsMode.OVERLAY,
        RunOptions.builder().build(), List.of(), "/", "", "host", List.of());
    assertThat(created.status(NOW)).isEqualTo("Created");
  }
}
