package dev.berth.internal.registry;

/**
 * A user name and secret for one registry, with where they came from so that error messages can
 * say which credentials were tried without ever showing the secret.
 *
 * @param username the user name
 * @param secret the password or token; never printed
 * @param source where they came from, e.g. {@code /root/.docker/config.json} or
 *     {@code docker-credential-pass}
 * @param registryToken true when {@code secret} is a bearer token sent as it is (Docker's
 *     {@code registrytoken}); the user name is empty then
 */
public record Credentials(String username, String secret, String source, boolean registryToken) {

  /** @throws IllegalArgumentException when user name (of a password) or secret is missing */
  public Credentials {
    if (username == null || username.isEmpty() && !registryToken || secret == null
        || secret.isEmpty()) {
      throw new IllegalArgumentException("credentials from " + source
          + " need both a user name and a secret");
    }
    source = source == null ? "explicit configuration" : source;
  }

  /** A user name and password (or access token used as one). */
  public Credentials(String username, String secret, String source) {
    this(username, secret, source, false);
  }

  /** @return per-call credentials as the registry client presents them */
  public static Credentials of(dev.berth.RegistryAuth auth, String source) {
    return auth.registryToken() != null ? new Credentials("", auth.registryToken(), source, true)
        : new Credentials(auth.username(), auth.password(), source);
  }

  /** @return who was tried, for messages: {@code user alice from /root/.docker/config.json} */
  public String describe() {
    return (registryToken ? "a registry token" : "user " + username) + " from " + source;
  }

  @Override
  public String toString() {
    return "Credentials[" + describe() + "]";
  }
}
