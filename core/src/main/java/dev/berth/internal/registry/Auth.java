package dev.berth.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.AuthenticationException;
import dev.berth.RegistryException;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Answers registries' {@code 401} challenges: Bearer (token from the realm, anonymous or with
 * credentials, cached per scope) and Basic. Remembers each endpoint's scheme so later requests
 * carry the right {@code Authorization} from the start.
 */
final class Auth {
  private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

  private final CredentialStore store;
  private final Endpoints endpoints;
  private final Sender sender;
  private final TokenCache tokens;
  private final Map<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
  private final Map<String, Optional<Credentials>> credentials = new ConcurrentHashMap<>();

  Auth(CredentialStore store, Endpoints endpoints, Sender sender, TokenCache tokens) {
    this.store = store;
    this.endpoints = endpoints;
    this.sender = sender;
    this.tokens = tokens;
  }

  /**
   * The same, with {@code registry}'s credentials replaced by {@code given} and a token cache of
   * its own, so that tokens fetched with them serve this copy alone.
   */
  Auth withCredentials(String registry, Credentials given) {
    return new Auth(store.with(registry, given), endpoints, sender,
        new TokenCache(Clock.systemUTC()));
  }

  /** @return the Authorization header value for a request, or null to go without */
  String authorization(Endpoint ep, List<String> scopes) {
    Credentials given = store.given(ep.credentialKey());
    if (given != null && given.registryToken()) {
      return "Bearer " + given.secret(); // Docker sends a registry token as it is, unasked
    }
    AuthChallenge c = challenges.get(ep.hostPort());
    if (c == null) {
      return null;
    }
    if ("basic".equals(c.scheme())) {
      return credentials(ep).filter(cr -> !cr.registryToken()).map(Auth::basic).orElse(null);
    }
    String token = tokens.get(ep.hostPort(), scopeKey(scopes));
    return token == null ? null : "Bearer " + token;
  }

  /** @return the credentials presented to {@code ep} so far, for messages; empty if none */
  Optional<Credentials> tried(Endpoint ep) {
    Credentials given = store.given(ep.credentialKey());
    if (given != null && given.registryToken()) {
      return Optional.of(given); // sent with every request, challenged or not
    }
    return challenges.containsKey(ep.hostPort()) ? credentials(ep) : Optional.empty();
  }

  /** @return the credentials that would be presented to {@code ep}, found once and kept */
  Optional<Credentials> credentials(Endpoint ep) {
    return credentials.computeIfAbsent(ep.credentialKey(), store::find);
  }

  /**
   * Handles a 401: learns the scheme and, for Bearer, fetches a token for {@code scopes}.
   *
   * @return true when the request is worth sending again with new authorization
   */
  boolean challenged(Endpoint ep, Response resp, List<String> scopes, Target target) {
    List<AuthChallenge> parsed = AuthChallenge.parseAll(resp.headers("WWW-Authenticate"));
    Optional<AuthChallenge> bearer = parsed.stream()
        .filter(c -> "bearer".equals(c.scheme()) && c.param("realm") != null).findFirst();
    Optional<AuthChallenge> basic =
        parsed.stream().filter(c -> "basic".equals(c.scheme())).findFirst();
    if (credentials(ep).filter(Credentials::registryToken).isPresent()) {
      return false; // the registry token went with the request and was refused
    }
    if (bearer.isPresent()) {
      challenges.put(ep.hostPort(), bearer.get());
      fetchToken(ep, bearer.get(), scopes, target);
      return true;
    }
    if (basic.isPresent()) {
      challenges.put(ep.hostPort(), basic.get());
      return credentials(ep).isPresent();
    }
    return false;
  }

  private void fetchToken(Endpoint ep, AuthChallenge challenge, List<String> scopes,
      Target target) {
    HttpUrl realm = HttpUrl.parse(challenge.param("realm"));
    if (realm == null) {
      throw new RegistryException("registry " + ep.hostPort() + " sent a token realm that is not"
          + " a URL: '" + challenge.param("realm") + "'");
    }
    HttpUrl.Builder url = realm.newBuilder();
    if (challenge.param("service") != null) {
      url.addQueryParameter("service", challenge.param("service"));
    }
    for (String scope : scopes) {
      url.addQueryParameter("scope", scope);
    }
    Optional<Credentials> creds = credentials(ep);
    Request.Builder req = new Request.Builder().url(url.build());
    creds.ifPresent(c -> req.header("Authorization", basic(c)));
    Request request = req.build();
    try (Response resp = sender.send(endpoints.clientFor(realm), ep.hostPort(), () -> request,
        true)) {
      if (resp.code() == 401 || resp.code() == 403) {
        throw RegistryErrors.denied(ep, new Target(Target.Kind.TOKEN, "a token "
            + (scopes.isEmpty() ? "" : "for " + String.join(" ", scopes) + " ") + "from "
            + realm), creds,
            RegistryErrors.errorBody(resp), resp.code());
      }
      if (resp.code() != 200) {
        throw new RegistryException("the token server " + realm + " of registry "
            + ep.hostPort() + " answered " + resp.code() + " " + resp.message() + ": "
            + RegistryErrors.errorBody(resp));
      }
      storeToken(ep, scopes, realm, Json.MAPPER.readTree(resp.body().byteStream()));
    } catch (IOException e) {
      throw RegistryErrors.unreachable("token server of " + ep.registry(), realm, e);
    }
  }

  private void storeToken(Endpoint ep, List<String> scopes, HttpUrl realm, JsonNode json) {
    String token = json.path("token").asText("");
    if (token.isEmpty()) {
      token = json.path("access_token").asText("");
    }
    if (token.isEmpty()) {
      throw new RegistryException("the token server " + realm + " of registry " + ep.hostPort()
          + " answered without a token or access_token");
    }
    long seconds = json.path("expires_in").asLong(0);
    tokens.put(ep.hostPort(), scopeKey(scopes), token,
        seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TOKEN_LIFETIME);
  }

  private static String scopeKey(List<String> scopes) {
    return String.join(" ", scopes);
  }

  private static String basic(Credentials c) {
    return okhttp3.Credentials.basic(c.username(), c.secret(), StandardCharsets.UTF_8);
  }
}
