package dev.berth;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One mount of a container, as {@code docker run -v}/{@code --tmpfs} give them: a host
 * directory or file (bind), a named or anonymous volume, or a tmpfs. Made by
 * {@link RunOptionsBuilder#bind}, {@link RunOptionsBuilder#volume(String, String)},
 * {@link RunOptionsBuilder#volume(String)} and {@link RunOptionsBuilder#tmpfs}.
 *
 * @param type what is mounted
 * @param source the host path (bind), the volume's name (volume; null for an anonymous one), or
 *     null (tmpfs)
 * @param target the absolute path in the container
 * @param readOnly whether the container cannot write to it
 * @param sizeBytes a tmpfs's size limit (0: the kernel's default, half of RAM)
 * @param mode a tmpfs's root permissions, e.g. {@code 01777}
 */
public record Mount(Type type, String source, String target, boolean readOnly, long sizeBytes,
    int mode) {

  /** What a mount is. */
  public enum Type {
    /** A host file or directory ({@code -v /host:/ctr}). */
    BIND,
    /** A named or anonymous volume ({@code -v name:/ctr}, {@code -v /ctr}). */
    VOLUME,
    /** A tmpfs, in memory ({@code --tmpfs}). */
    TMPFS
  }

  /**
   * @param type bind, volume or tmpfs
   * @param source the host path (bind), the volume's name (volume; null for an anonymous one), or
   *     null (tmpfs)
   * @param target the absolute path inside the container
   * @param readOnly true to mount it read-only
   * @param sizeBytes a tmpfs's size limit, 0 for the kernel's default
   * @param mode a tmpfs's root permissions, e.g. {@code 01777}
   * @throws IllegalArgumentException when the target is not absolute, a bind's source is not
   *     an absolute host path, a volume name is invalid, or a tmpfs size or mode is out of range
   */
  public Mount {
    Objects.requireNonNull(type, "type");
    if (target == null || !target.startsWith("/")) {
      throw new IllegalArgumentException("mount target '" + target
          + "' must be an absolute path in the container, e.g. /data");
    }
    target = Path.of(target).normalize().toString();
    if (type == Type.BIND && (source == null || !Path.of(source).isAbsolute())) {
      throw new IllegalArgumentException("bind mount source '" + source
          + "' must be an absolute host path");
    }
    if (type == Type.VOLUME && source != null) {
      checkVolumeName(source);
    }
    if (type == Type.TMPFS && (sizeBytes < 0 || mode < 0 || mode > 07777)) {
      throw new IllegalArgumentException("tmpfs at " + target + ": size " + sizeBytes
          + " must be >= 0 and mode 0" + Integer.toOctalString(mode) + " within 07777");
    }
  }

  /**
   * The one check of a volume name, Docker's rule, for mounts, {@code RunOptions} and
   * {@code Berth.createVolume}.
   *
   * @throws IllegalArgumentException when {@code name} is not {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}
   */
  static void checkVolumeName(String name) {
    if (name == null || !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+")) {
      throw new IllegalArgumentException("invalid volume name '" + name
          + "': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at least two characters");
    }
  }

  @Override
  public String toString() {
    return switch (type) {
      case BIND, VOLUME -> (source == null ? "" : source + ":") + target + (readOnly ? ":ro" : "");
      case TMPFS -> "tmpfs:" + target + (sizeBytes > 0 ? ",size=" + sizeBytes : "")
          + ",mode=0" + Integer.toOctalString(mode);
    };
  }
}
