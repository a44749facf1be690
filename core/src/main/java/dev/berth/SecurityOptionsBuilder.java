package dev.berth;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The security concern of {@link RunOptionsBuilder}: capabilities (a name is parsed as it is
 * set, {@code ALL} included), privileged, read-only root, seccomp and no-new-privileges;
 * {@link #build()} makes the {@link RunOptions.Security}.
 */
final class SecurityOptionsBuilder {
  private final Set<Capability> capAdd = EnumSet.noneOf(Capability.class);
  private final Set<Capability> capDrop = EnumSet.noneOf(Capability.class);
  private boolean capAddAll;
  private boolean capDropAll;
  private boolean privileged;
  private boolean readOnlyRootfs;
  private SeccompProfile seccomp = SeccompProfile.DEFAULT;
  private boolean noNewPrivileges = true;

  SecurityOptionsBuilder() {}

  SecurityOptionsBuilder(RunOptions.Security s) {
    capAdd.addAll(s.capAdd());
    capAddAll = s.capAddAll();
    capDrop.addAll(s.capDrop());
    capDropAll = s.capDropAll();
    privileged = s.privileged();
    readOnlyRootfs = s.readOnlyRootfs();
    seccomp = s.seccomp();
    noNewPrivileges = s.noNewPrivileges();
  }

  /** Adds the named capability, or all of them for {@code ALL}. */
  void capAdd(String capability) {
    if (isAll(capability)) {
      capAddAll = true;
    } else {
      capAdd(Capability.parse(capability));
    }
  }

  void capAdd(Capability... capabilities) {
    capAdd.addAll(List.of(capabilities));
  }

  /** Drops the named capability, or all of them for {@code ALL}. */
  void capDrop(String capability) {
    if (isAll(capability)) {
      capDropAll = true;
    } else {
      capDrop(Capability.parse(capability));
    }
  }

  void capDrop(Capability... capabilities) {
    capDrop.addAll(List.of(capabilities));
  }

  private static boolean isAll(String capability) {
    return Objects.requireNonNull(capability, "capability").strip().equalsIgnoreCase("ALL");
  }

  void privileged(boolean privileged) {
    this.privileged = privileged;
  }

  void readOnlyRootfs(boolean readOnly) {
    this.readOnlyRootfs = readOnly;
  }

  void seccomp(SeccompProfile profile) {
    this.seccomp = Objects.requireNonNull(profile, "seccomp");
  }

  void noNewPrivileges(boolean on) {
    this.noNewPrivileges = on;
  }

  RunOptions.Security build() {
    return new RunOptions.Security(capAdd, capAddAll, capDrop, capDropAll, privileged,
        readOnlyRootfs, seccomp, noNewPrivileges);
  }
}
