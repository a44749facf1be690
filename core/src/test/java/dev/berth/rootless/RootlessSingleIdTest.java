package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Rootless without subordinate ids: one id, owners squashed, said once in a log event. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootlessSingleIdTest {
  @AutoClose private RootlessRun run;
  private Map<String, String> said;

  @BeforeAll
  void runScenarioWithoutSubordinateIds() throws Exception {
    run = RootlessRun.startSingle();
    said = run.said();
  }

  @Test
  void info_andInspect_saySingle() {
    assertThat(said.get("info.userNamespace")).isEqualTo("SINGLE");
    assertThat(said.get("busybox.inspect")).startsWith("SINGLE ");
  }

  @Test
  void logEvent_saysOnceWhyAndWhatToDo() {
    assertThat(run.output().split("Berth runs rootless with a single id", -1)).hasSize(2);
    assertThat(run.output()).contains("/etc/subuid or /etc/subgid has no range for " + RootlessRun.SINGLE_USER);
  }

  @Test
  void uidMap_mapsOnlyTheUser() {
    assertThat(said.get("busybox.uidMap")).matches("\\s*0\\s+" + run.uid() + "\\s+1");
  }

  @Test
  void ownerUid1000_isSquashedToRoot() {
    assertThat(said.get("busybox.appHome")).isEqualTo("0:0");
  }

  @Test
  void shadowGroup_isSquashedToRoot() {
    assertThat(said.get("node.shadow")).isEqualTo("root:root 640");
  }

  @Test
  void runAsUid1000_failsSayingTheUserDoesNotExistAndWhatToDo() {
    assertThat(said.get("busybox.appUpperOwner")).startsWith("[failed: The container's user \"1000\" (uid 1000, gid 1000)")
        .contains("does not exist in a rootless container", "Run it as user 0", "/etc/subuid");
  }

  @Test
  void node_stillRuns() {
    assertThat(said.get("node.version")).matches("v\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void closedContainers_areRemoved_butTheOneThatCouldNotStartIsKeptAsDockerKeepsIt() {
    assertThat(said.get("containers.left")).isEqualTo("1");
  }
}
