package dev.berth.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad settings are refused with a message that names them; small pure rules. */
class ConfigTest {

  @Test
  void build_zeroTimeout_throwsNamingIt() {
    assertThatThrownBy(() -> RegistryConfig.builder().readTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readTimeout");
  }

  @Test
  void build_tinyChunkSize_throwsNamingIt() {
    assertThatThrownBy(() -> RegistryConfig.builder().uploadChunkSize(10).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uploadChunkSize");
  }

  @Test
  void retryPolicy_zeroAttempts_throws() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
  }

  @Test
  void retryPolicy_backoff_doublesAndIsCapped() {
    RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(300));
    assertThat(List.of(p.backoff(1, null), p.backoff(2, null), p.backoff(3, null)))
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
  }

  @Test
  void retryAfter_secondsAndHttpDate_areParsedAndGarbageIgnored() {
    assertThat(Retries.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
    assertThat(Retries.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(Retries.retryAfter("soon")).isNull();
  }

  @Test
  void statuses_onlyThrottlingAndGatewayErrorsAreRecoverable() {
    assertThat(List.of(429, 502, 503, 504)).allMatch(Retries::isRecoverable);
    assertThat(List.of(400, 401, 403, 404, 500)).noneMatch(Retries::isRecoverable);
  }

  @Test
  void mirror_notAUrl_throwsNamingIt() {
    RegistryClient client = new RegistryClient(RegistryConfig.builder().authFiles(List.of())
        .mirrors(List.of("http://")).build());
    assertThatThrownBy(() -> client.ping("docker.io"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mirror 'http://'");
  }

  @Test
  void authKeys_dockerHubAndUrlForms_normaliseToRegistryNames() {
    assertThat(CredentialStore.normaliseKey("https://index.docker.io/v1/")).isEqualTo("docker.io");
    assertThat(CredentialStore.normaliseKey("http://reg.example:5000/v2/")).isEqualTo("reg.example:5000");
    assertThat(CredentialStore.normaliseKey("reg.example")).isEqualTo("reg.example");
  }

  @Test
  void loopback_hostsAreRecognised() {
    assertThat(List.of("localhost:5000", "127.0.0.1", "127.1.2.3:80", "[::1]:5000"))
        .allMatch(Endpoints::isLoopback);
    assertThat(List.of("reg.example:5000", "10.0.0.1", "localhost.example"))
        .noneMatch(Endpoints::isLoopback);
  }

  @Test
  void credentials_toString_hidesSecret() {
    assertThat(new Credentials("alice", "s3cret", "/x/config.json").toString())
        .contains("alice").contains("/x/config.json").doesNotContain("s3cret");
  }
}
