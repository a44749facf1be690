package dev.berth.internal.registry;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * One place a registry's API can be reached: {@code https://registry-1.docker.io}, a mirror, or
 * {@code http://127.0.0.1:5000} after falling back from https.
 *
 * @param registry the registry as references name it ({@code docker.io}, {@code host:port})
 * @param base the base URL, without {@code /v2/}
 * @param client the HTTP client configured with this endpoint's TLS trust
 * @param mirror true for a docker.io mirror (no credentials of docker.io are sent to it)
 * @param probe true for an https attempt that may fall back to http: short timeout, no retries
 */
record Endpoint(String registry, HttpUrl base, OkHttpClient client, boolean mirror,
    boolean probe) {

  /** @return {@code host:port} of this endpoint, as messages and the token cache name it */
  String hostPort() {
    return base.host() + ":" + base.port();
  }

  /** @return the registry name credentials are looked up under */
  String credentialKey() {
    return mirror ? base.host() + (base.port() == HttpUrl.defaultPort(base.scheme())
        ? "" : ":" + base.port()) : registry;
  }

  /** @return the URL of an API path below {@code /v2/}, e.g. {@code library/node/tags/list} */
  HttpUrl api(String path) {
    return base.newBuilder().encodedPath("/v2/" + path).build();
  }

  /** @return this endpoint as a probe: it gives up after {@code timeout} of silence */
  Endpoint asProbe(java.time.Duration timeout) {
    return new Endpoint(registry, base, client.newBuilder().readTimeout(timeout).build(), mirror,
        true);
  }

  @Override
  public String toString() {
    return base.toString();
  }
}
