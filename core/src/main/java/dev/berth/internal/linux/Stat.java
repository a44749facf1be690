package dev.berth.internal.linux;

import java.time.Instant;

/**
 * What {@code statx} says about a file.
 *
 * @param mode type and permission bits ({@link Fcntl#S_IFMT} masks the type)
 * @param uid owner
 * @param gid group
 * @param ino inode number
 * @param nlink hard link count
 * @param size size in bytes
 * @param rdevMajor device major number (devices only)
 * @param rdevMinor device minor number (devices only)
 * @param mtime last modification
 * @param atime last access
 */
public record Stat(
    int mode, int uid, int gid, long ino, long nlink, long size, int rdevMajor, int rdevMinor,
    Instant mtime, Instant atime) {

  /** @return the file type bits, e.g. {@link Fcntl#S_IFDIR} */
  public int type() {
    return mode & Fcntl.S_IFMT;
  }

  /** @return whether this is a directory */
  public boolean isDirectory() {
    return type() == Fcntl.S_IFDIR;
  }

  /** @return whether this is a symbolic link */
  public boolean isSymlink() {
    return type() == Fcntl.S_IFLNK;
  }
}
