package dev.berth.internal.registry;

/**
 * A user name and secret for one registry, with where they came from so that error messages can
 * say which credentials were tried without ever showing the secret.
 *
 * @param username the user name
 * @param secret the password or token; never printed
 * @param source where they came from, e.g. {@code /root/.docker/config.json} or
 *     {@code docker-credential-pass}
 */
public record Credentials(String username, String secret, String source) {

  /** @throws IllegalArgumentException when user name or secret is missing */
  public Credentials {
    if (username == null || username.isEmpty() || secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("credentials from " + source
          + " need both a user name and a secret");
    }
    source = source == null ? "explicit configuration" : source;
  }

  /** @return who was tried, for messages: {@code user alice from /root/.docker/config.json} */
  public String describe() {
    return "user " + username + " from " + source;
  }

  @Override
  public String toString() {
    return "Credentials[" + describe() + "]";
  }
}
