package dev.berth;

import dev.berth.internal.reference.ReferenceParser;

/**
 * A normalised image reference, as Docker reads one: {@code node} is
 * {@code docker.io/library/node:latest}.
 *
 * <pre>{@code
 * ImageRef r = ImageRef.parse("node");
 * r.registry();    // "docker.io"
 * r.repository();  // "library/node"
 * r.tag();         // "latest"
 * r.toString();    // "docker.io/library/node:latest"
 * }</pre>
 *
 * @param registry registry host, with port when one was given ({@code docker.io},
 *     {@code localhost:5000})
 * @param repository repository path ({@code library/node})
 * @param tag the tag, or {@code null} when the reference is by digest only
 * @param digest the digest, or {@code null} when the reference has none
 */
public record ImageRef(String registry, String repository, String tag, Digest digest) {

  /**
   * @param registry the registry host, e.g. {@code docker.io} or {@code localhost:5000}
   * @param repository the repository path, e.g. {@code library/node}
   * @param tag the tag, or null
   * @param digest the digest, or null
   * @throws IllegalArgumentException when registry or repository is missing
   */
  public ImageRef {
    if (registry == null || registry.isEmpty() || repository == null || repository.isEmpty()) {
      throw new IllegalArgumentException("an image reference needs a registry and a repository");
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
  }

  /**
   * Parses and normalises a reference by Docker's rules: a first component with {@code .} or
   * {@code :}, or {@code localhost}, is a registry host; otherwise the registry is
   * {@code docker.io}, and a single-component repository gets {@code library/}; no tag and no
   * digest means {@code :latest}.
   *
   * @param reference e.g. {@code node}, {@code node:20}, {@code ghcr.io/org/app@sha256:…}
   * @return the normalised reference
   * @throws IllegalArgumentException quoting the input and saying what is wrong at which position
   */
  public static ImageRef parse(String reference) {
    ReferenceParser.Parts p = ReferenceParser.parse(reference);
    return new ImageRef(p.registry(), p.repository(), p.tag(), p.digest());
  }

  /**
   * @param newTag the tag
   * @return the same repository with another tag (and no digest)
   */
  public ImageRef withTag(String newTag) {
    return parse(registry + "/" + repository + ":" + newTag);
  }

  /**
   * @param newDigest the manifest's digest
   * @return the same repository pinned to a digest (the tag is kept for display)
   */
  public ImageRef withDigest(Digest newDigest) {
    return new ImageRef(registry, repository, tag, newDigest);
  }

  /** @return the tag, or the digest when there is no tag: what a manifest request asks for */
  public String tagOrDigest() {
    return digest != null ? digest.toString() : tag;
  }

  /**
   * @return the reference as Docker prints it in {@code docker images}: without {@code docker.io/},
   *     and without {@code library/} when that leaves a single component (so that parsing the
   *     familiar form gives this reference back)
   */
  public String familiar() {
    if (!registry.equals(ReferenceParser.DOCKER_HUB)) {
      return this.toString();
    }
    String official = repository.startsWith("library/")
        ? repository.substring("library/".length())
        : null;
    boolean shortens = official != null && official.indexOf('/') < 0;
    return (shortens ? official : repository) + suffix();
  }

  private String suffix() {
    return (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }

  /** @return the full normalised form, e.g. {@code docker.io/library/node:latest} */
  @Override
  public String toString() {
    return registry + "/" + repository + suffix();
  }
}
