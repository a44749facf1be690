package dev.berth.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

  private static List<AuthChallenge> parse(String... headers) {
    return AuthChallenge.parseAll(List.of(headers));
  }

  @Test
  void parse_dockerHubBearer_readsRealmServiceAndScope() {
    assertThat(parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
        + "scope=\"repository:library/node:pull\""))
        .containsExactly(new AuthChallenge("bearer", Map.of(
            "realm", "https://auth.docker.io/token", "service", "registry.docker.io",
            "scope", "repository:library/node:pull")));
  }

  @Test
  void parse_quotedValueWithCommasAndEscapes_keepsItWhole() {
    assertThat(parse("Bearer realm=\"https://a/token\", scope=\"repository:a:pull,push\","
        + " error=\"say \\\"hi\\\"\"").get(0).params())
        .containsEntry("scope", "repository:a:pull,push")
        .containsEntry("error", "say \"hi\"");
  }

  @Test
  void parse_twoChallengesInOneHeader_returnsBoth() {
    assertThat(parse("Basic realm=\"reg\", Bearer realm=\"https://t/token\",service=reg"))
        .extracting(AuthChallenge::scheme).containsExactly("basic", "bearer");
  }

  @Test
  void parse_unquotedTokensAndOddSpacing_areRead() {
    assertThat(parse("bearer  realm = https://t/token ,service=svc").get(0).params())
        .containsEntry("realm", "https://t/token").containsEntry("service", "svc");
  }

  @Test
  void parse_schemeWithToken68_isSkippedToTheNextChallenge() {
    assertThat(parse("Negotiate abc123==, Basic realm=\"x\""))
        .extracting(AuthChallenge::scheme).containsExactly("negotiate", "basic");
  }

  @Test
  void parse_unterminatedQuote_keepsWhatWasThere() {
    assertThat(parse("Bearer realm=\"https://t/token").get(0).param("realm"))
        .isEqualTo("https://t/token");
  }

  @Test
  void parse_severalHeaders_collectsAll() {
    assertThat(parse("Basic realm=\"a\"", "Bearer realm=\"https://b\"")).hasSize(2);
  }

  @Test
  void parse_empty_returnsNone() {
    assertThat(parse("", "  ,")).isEmpty();
  }
}
