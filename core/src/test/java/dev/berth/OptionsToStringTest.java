package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Value types print what they hold, as a person wants to read it in JShell. */
class OptionsToStringTest {
  @Test
  void runOptions_securityAndIdentity_allShown() {
    RunOptions o = RunOptions.builder().hostname("db").label("app", "shop").capAdd("NET_ADMIN")
        .capDrop("CHOWN").seccomp("unconfined").readOnlyRootfs(true).noNewPrivileges(false)
        .networkAlias("pg").publishAll(true).build();
    assertThat(o.toString()).contains("hostname=db", "labels={app=shop}", "capAdd=[NET_ADMIN]",
        "capDrop=[CHOWN]", "seccomp=unconfined", "--read-only", "-P", "aliases=[pg]",
        "newPrivileges allowed");
  }

  @Test
  void runOptions_defaults_printNothingExtra() {
    assertThat(RunOptions.builder().build().toString()).isEqualTo("RunOptions{}");
  }

  @Test
  void logOptions_printAsDockerLogsFlags() {
    LogOptions o = LogOptions.builder().since(Instant.parse("2026-01-02T03:04:05Z")).tail(10)
        .follow(true).stderr(false).build();
    assertThat(o).hasToString("LogOptions{--since 2026-01-02T03:04:05Z --tail 10 -f stdout only}");
    assertThat(LogOptions.builder().build()).hasToString("LogOptions{}");
  }
}
