package dev.berth.testing;

import java.util.List;

/**
 * One request the {@link TokenServer} answered, kept so tests can assert how a client asks for
 * tokens (for example that it caches one token per scope).
 *
 * @param account the user name sent with Basic credentials, or {@link AccessPolicy#ANONYMOUS}
 * @param scopes the {@code scope} parameters as sent, such as {@code repository:library/busybox:pull}
 * @param status the HTTP status the server answered: 200, 400 or 401
 */
public record TokenRequest(String account, List<String> scopes, int status) {
  /** Copies {@code scopes}. */
  public TokenRequest {
    scopes = List.copyOf(scopes);
  }
}
