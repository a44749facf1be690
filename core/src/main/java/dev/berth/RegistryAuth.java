package dev.berth;

import dev.berth.internal.registry.AuthConfigs;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials for one registry call, as Docker's {@code AuthConfig} carries them: a user name
 * and password (or access token used as one), or a registry token sent as it is. They override
 * the engine's own credentials (its {@code config.json}, credential helpers and
 * {@link BerthBuilder#credentials}) for that call only; the engine keeps nothing of them.
 * Immutable; {@link #toString()} never shows a secret.
 *
 * <pre>{@code
 * RegistryAuth auth = RegistryAuth.password("alice", System.getenv("REGISTRY_PASSWORD"));
 * berth.login("registry.example:5000", auth);             // throws when they are refused
 * Image app = berth.pull("registry.example:5000/team/app:1.0", auth, PullListener.NONE);
 * app.push("registry.example:5000/team/app:1.1", auth);
 * }</pre>
 */
public final class RegistryAuth {
  private final String username;
  private final String password;
  private final String registryToken;

  private RegistryAuth(String username, String password, String registryToken) {
    this.username = username;
    this.password = password;
    this.registryToken = registryToken;
  }

  /**
   * A user name and password, presented with Basic authentication or to the registry's token
   * server, as {@code docker login -u}.
   *
   * @param username the user name
   * @param password the password or access token
   * @return the credentials
   * @throws IllegalArgumentException when either is missing or empty
   */
  public static RegistryAuth password(String username, String password) {
    if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
      throw new IllegalArgumentException("registry credentials need a user name and a password"
          + " (or access token); got " + (username == null || username.isEmpty()
              ? "no user name" : "no password for user " + username));
    }
    return new RegistryAuth(username, password, null);
  }

  /**
   * A bearer token the registry accepts as it is ({@code registrytoken} of Docker's
   * {@code AuthConfig}): sent with every request to that registry, never exchanged.
   *
   * @param token the token
   * @return the credentials
   * @throws IllegalArgumentException when the token is missing or empty
   */
  public static RegistryAuth registryToken(String token) {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("a registry token must not be empty");
    }
    return new RegistryAuth(null, null, token);
  }

  /**
   * Reads Docker's {@code AuthConfig} JSON, as an entry of {@code config.json}'s {@code auths}
   * or a decoded {@code X-Registry-Auth} header holds it: {@code registrytoken}, else
   * {@code username} and {@code password}, else {@code auth} (base64 of {@code user:password});
   * {@code serveraddress} and {@code email} are ignored.
   *
   * @param json the {@code AuthConfig} object
   * @return the credentials, or empty when it holds none ({@code {}})
   * @throws IllegalArgumentException saying what is wrong when it is not a JSON object, its
   *     {@code auth} is not base64 of {@code user:password}, or it holds only an
   *     {@code identitytoken} (an OAuth refresh token, which Berth does not exchange)
   */
  public static Optional<RegistryAuth> fromDockerAuthConfig(String json) {
    return AuthConfigs.parse(Objects.requireNonNull(json, "json"));
  }

  /** @return the user name, or null for a registry token */
  public String username() {
    return username;
  }

  /** @return the password, or null for a registry token */
  public String password() {
    return password;
  }

  /** @return the registry token, or null for a user name and password */
  public String registryToken() {
    return registryToken;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistryAuth a && Objects.equals(a.username, username)
        && Objects.equals(a.password, password) && Objects.equals(a.registryToken, registryToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(username, password, registryToken);
  }

  /** @return {@code RegistryAuth[user alice]} or {@code RegistryAuth[registry token]} */
  @Override
  public String toString() {
    return "RegistryAuth[" + (registryToken != null ? "registry token" : "user " + username) + "]";
  }
}
