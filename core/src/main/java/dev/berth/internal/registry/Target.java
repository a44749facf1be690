package dev.berth.internal.registry;

/**
 * What a request is about, so that one place ({@link RegistryErrors}) can turn any failure into a
 * typed exception that names it.
 *
 * @param kind what sort of thing is asked for
 * @param subject the normalised name, e.g. {@code docker.io/library/node:latest} or
 *     {@code blob sha256:ab… of docker.io/library/node}
 */
record Target(Kind kind, String subject) {

  /** The sorts of things requests are about. */
  enum Kind {
    PING, LOGIN, MANIFEST, BLOB, UPLOAD, TAGS, TOKEN;

    /** @return true for reads, which an anonymous 401 may mean "does not exist" for */
    boolean isRead() {
      return this == MANIFEST || this == BLOB || this == TAGS;
    }
  }
}
