package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
  private final AccessPolicy policy = AccessPolicy.standard("alice", "pw");

  @Test
  void allowed_userWithStarGrant_getsEveryRequestedAction() {
    assertThat(policy.allowed("alice", "any/thing", List.of("pull", "push", "delete"))).containsExactly("pull", "push", "delete");
  }

  @Test
  void allowed_anonymousOnPublicGlob_getsPullOnly() {
    assertThat(policy.allowed(AccessPolicy.ANONYMOUS, "library/node", List.of("pull", "push"))).containsExactly("pull");
  }

  @Test
  void allowed_globStar_matchesAcrossSlashes() {
    assertThat(policy.withPublic("mirror/*").allowed("", "mirror/a/b", List.of("pull"))).containsExactly("pull");
  }

  @Test
  void allowed_otherUserOnPrivateRepository_getsNothing() {
    assertThat(policy.withUser("bob", "x").allowed("bob", "team/app", List.of("pull"))).isEmpty();
  }

  @Test
  void authenticates_wrongPassword_isFalse() {
    assertThat(policy.authenticates("alice", "nope")).isFalse();
  }

  @Test
  void withGrant_unknownAction_throwsNamingIt() {
    assertThatThrownBy(() -> policy.withGrant("alice", "x/*", "write")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown action 'write'").hasMessageContaining("pull, push, delete or *");
  }

  @Test
  void withGrant_blankPattern_throws() {
    assertThatThrownBy(() -> policy.withGrant("alice", " ", "pull")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank repository pattern");
  }

  @Test
  void withGrant_unknownAccount_throwsSayingToAddTheUser() {
    assertThatThrownBy(() -> policy.withGrant("mallory", "*", "pull")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown account 'mallory'").hasMessageContaining("withUser");
  }

  @Test
  void withUser_nameWithColon_throws() {
    assertThatThrownBy(() -> policy.withUser("a:b", "pw")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("free of ':'");
  }
}
