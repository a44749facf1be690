package dev.berth.internal.linux;

/** Which cgroup hierarchy the host mounts. */
public enum CgroupVersion {
  /** No cgroup file system is mounted. */
  NONE,
  /** Only the legacy per-controller hierarchies. */
  V1,
  /** Only the unified hierarchy, at /sys/fs/cgroup. */
  V2,
  /** Legacy controllers plus a unified hierarchy beside them (systemd's "hybrid"). */
  HYBRID
}
