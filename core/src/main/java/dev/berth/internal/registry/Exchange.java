package dev.berth.internal.registry;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Headers;
import okhttp3.RequestBody;

/**
 * One logical registry request, before an endpoint is chosen: which registry, what URL on a given
 * endpoint, method, headers, body, the token scopes it needs, the statuses that count as success,
 * and what it is about (for error messages).
 *
 * @param registry the registry as references name it
 * @param method the HTTP method
 * @param url the URL on a chosen endpoint
 * @param headers extra request headers
 * @param body makes the body for each attempt, or null for none
 * @param replayable whether the request may be sent again after a failure
 * @param scopes token scopes, e.g. {@code repository:library/node:pull}
 * @param useMirrors whether docker.io mirrors may answer
 * @param expected statuses returned to the caller; anything else is turned into an exception
 * @param target what the request is about
 */
record Exchange(String registry, String method, Function<Endpoint, okhttp3.HttpUrl> url,
    Headers headers, Supplier<RequestBody> body, boolean replayable, List<String> scopes,
    boolean useMirrors, Set<Integer> expected, Target target) {

  /** @return a GET of an API path below {@code /v2/}, expecting 200, replayable, from mirrors */
  static Exchange get(String registry, String apiPath, List<String> scopes, Target target) {
    return new Exchange(registry, "GET", e -> e.api(apiPath), Headers.of(), null, true, scopes,
        true, Set.of(200), target);
  }

  Exchange method(String m) {
    return new Exchange(registry, m, url, headers, body, replayable, scopes, useMirrors, expected,
        target);
  }

  Exchange url(Function<Endpoint, okhttp3.HttpUrl> u) {
    return new Exchange(registry, method, u, headers, body, replayable, scopes, useMirrors,
        expected, target);
  }

  Exchange header(String name, String value) {
    return new Exchange(registry, method, url, headers.newBuilder().set(name, value).build(), body,
        replayable, scopes, useMirrors, expected, target);
  }

  Exchange body(Supplier<RequestBody> b, boolean canReplay) {
    return new Exchange(registry, method, url, headers, b, canReplay, scopes, useMirrors, expected,
        target);
  }

  Exchange noMirrors() {
    return new Exchange(registry, method, url, headers, body, replayable, scopes, false, expected,
        target);
  }

  Exchange expect(Integer... statuses) {
    return new Exchange(registry, method, url, headers, body, replayable, scopes, useMirrors,
        Set.of(statuses), target);
  }
}
