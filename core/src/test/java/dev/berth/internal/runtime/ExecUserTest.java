package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.BerthException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecUserTest {
  private static final String PASSWD = """
      root:x:0:0:root:/root:/bin/sh
      app:x:1000:1000:App:/home/app:/bin/sh
      # comment
      nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
      """;
  private static final String GROUP = """
      root:x:0:
      wheel:x:10:app,root
      audio:x:29:app
      app:x:1000:
      nogroup:x:65534:
      """;

  @Test
  void resolve_empty_isRootWithRootsHome() {
    assertThat(ExecUser.resolve("", PASSWD, GROUP))
        .isEqualTo(new ExecUser(0, 0, List.of(10), "/root"));
  }

  @Test
  void resolve_name_takesUidGidHomeAndSupplementaryGroups() {
    assertThat(ExecUser.resolve("app", PASSWD, GROUP))
        .isEqualTo(new ExecUser(1000, 1000, List.of(10, 29), "/home/app"));
  }

  @Test
  void resolve_numericUidInPasswd_takesItsEntry() {
    assertThat(ExecUser.resolve("1000", PASSWD, GROUP).home()).isEqualTo("/home/app");
  }

  @Test
  void resolve_numericUidNotInPasswd_isAllowedWithGidZero() {
    assertThat(ExecUser.resolve("4242", PASSWD, GROUP))
        .isEqualTo(new ExecUser(4242, 0, List.of(), "/"));
  }

  @Test
  void resolve_userAndGroupNames_setsThatGroupOnly() {
    assertThat(ExecUser.resolve("app:nogroup", PASSWD, GROUP))
        .isEqualTo(new ExecUser(1000, 65534, List.of(), "/home/app"));
  }

  @Test
  void resolve_uidAndNumericGid_withoutFiles() {
    assertThat(ExecUser.resolve("5:7", null, null)).isEqualTo(new ExecUser(5, 7, List.of(), "/"));
  }

  @Test
  void resolve_unknownName_throwsNamingIt() {
    assertThatThrownBy(() -> ExecUser.resolve("postgres", PASSWD, GROUP))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("unable to find user postgres");
  }

  @Test
  void resolve_unknownGroupName_throwsNamingIt() {
    assertThatThrownBy(() -> ExecUser.resolve("app:video", PASSWD, GROUP))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("unable to find group video");
  }
}
