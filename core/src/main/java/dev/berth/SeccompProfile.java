package dev.berth;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The seccomp filter a container runs under ({@code --security-opt seccomp=…}), parsed once:
 *
 * <pre>{@code
 * RunOptions.builder().seccomp(SeccompProfile.UNCONFINED);
 * RunOptions.builder().seccomp(SeccompProfile.file(Path.of("/etc/berth/strict.json")));
 * SeccompProfile.parse("default");   // SeccompProfile.DEFAULT
 * }</pre>
 *
 * <p>{@code toString()} gives Docker's word back ({@code default}, {@code unconfined}, the
 * file's path, or {@code json(N chars)}).
 */
public sealed interface SeccompProfile {
  /** Berth's profile, with the intent of Docker's default (the default). */
  SeccompProfile DEFAULT = new Default();
  /** No seccomp filter at all. */
  SeccompProfile UNCONFINED = new Unconfined();

  /**
   * @param path a JSON profile in Docker's format; relative paths resolve against the working
   *     directory now
   * @return the profile read from that file when a container starts
   */
  static SeccompProfile file(Path path) {
    return new File(path.toAbsolutePath().normalize());
  }

  /**
   * @param json the text of a profile in Docker's format (what the docker CLI sends)
   * @return that profile
   */
  static SeccompProfile json(String json) {
    return new Json(json);
  }

  /**
   * @param profile {@code default}, {@code unconfined}, a profile's text (starting with
   *     <code>{</code>), or the path of a profile file
   * @return the profile
   * @throws IllegalArgumentException when blank
   */
  static SeccompProfile parse(String profile) {
    if (profile == null || profile.isBlank()) {
      throw new IllegalArgumentException("seccomp must be default, unconfined, a profile's JSON "
          + "or the path of a profile file");
    }
    return switch (profile) {
      case "default" -> DEFAULT;
      case "unconfined" -> UNCONFINED;
      default -> profile.strip().startsWith("{") ? json(profile) : file(Path.of(profile));
    };
  }

  /** Berth's default profile. */
  record Default() implements SeccompProfile {
    @Override
    public String toString() {
      return "default";
    }
  }

  /** No filter. */
  record Unconfined() implements SeccompProfile {
    @Override
    public String toString() {
      return "unconfined";
    }
  }

  /**
   * A profile file, read and compiled when the container starts.
   *
   * @param path the file's absolute path
   */
  record File(Path path) implements SeccompProfile {
    /**
     * @param path the file's absolute path
     * @throws IllegalArgumentException when not absolute
     */
    public File {
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException("seccomp profile path " + path + " must be absolute; "
            + "use SeccompProfile.file(path)");
      }
    }

    @Override
    public String toString() {
      return path.toString();
    }
  }

  /**
   * A profile given as its text.
   *
   * @param json the profile, in Docker's format
   */
  record Json(String json) implements SeccompProfile {
    /** @param json the profile, in Docker's format */
    public Json {
      Objects.requireNonNull(json, "json");
    }

    @Override
    public String toString() {
      return "json(" + json.length() + " chars)";
    }
  }
}
