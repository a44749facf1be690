package dev.berth.internal.registry;

import dev.berth.ImageRef;

/**
 * A repository on a registry, the unit blobs live in.
 *
 * @param registry the registry as references name it ({@code docker.io}, {@code host:port})
 * @param name the repository path ({@code library/node})
 */
public record Repository(String registry, String name) {

  /** @throws IllegalArgumentException when registry or name is missing */
  public Repository {
    if (registry == null || registry.isEmpty() || name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a repository needs a registry and a name, got '"
          + registry + "' and '" + name + "'");
    }
  }

  /** @return the repository of a reference */
  public static Repository of(ImageRef ref) {
    return new Repository(ref.registry(), ref.repository());
  }

  /** @return the token scope for pulling ({@code repository:<name>:pull}) */
  String pullScope() {
    return "repository:" + name + ":pull";
  }

  /** @return the token scope for pushing ({@code repository:<name>:pull,push}) */
  String pushScope() {
    return "repository:" + name + ":pull,push";
  }

  @Override
  public String toString() {
    return registry + "/" + name;
  }
}
