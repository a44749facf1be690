package dev.berth.internal.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A CPU architecture the seccomp compiler knows: its AUDIT_ARCH value (what the kernel puts in
 * seccomp_data.arch) and its syscall numbers, from a table generated from the kernel headers by
 * scripts/gen-syscall-tables.sh.
 */
public enum Arch {
  X86_64(0xC000003E, "x86_64", Set.of("SCMP_ARCH_X86_64", "amd64", "x86_64")),
  AARCH64(0xC00000B7, "aarch64", Set.of("SCMP_ARCH_AARCH64", "arm64", "aarch64"));

  /** x86_64 syscalls with this bit set are x32 ABI calls; same AUDIT_ARCH, other numbers. */
  static final int X32_SYSCALL_BIT = 0x40000000;

  final int auditArch;
  private final String machine;
  /** How profiles name it: libseccomp's name, and Go's in Docker's includes/excludes.arches. */
  final Set<String> profileNames;
  private volatile Map<String, Integer> table;

  Arch(int auditArch, String machine, Set<String> profileNames) {
    this.auditArch = auditArch;
    this.machine = machine;
    this.profileNames = profileNames;
  }

  /**
   * @throws IllegalStateException on a CPU Berth has no syscall table for
   */
  public static Arch current() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> X86_64;
      case "aarch64", "arm64" -> AARCH64;
      default -> throw new IllegalStateException("Berth has no seccomp syscall table for the CPU " + arch + "; run with seccomp unconfined");
    };
  }

  /** @return the syscall's number on this architecture, empty when it has no such call */
  public OptionalInt syscall(String name) {
    Integer n = syscalls().get(name);
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }

  /** The whole table: syscall name to number. */
  public Map<String, Integer> syscalls() {
    Map<String, Integer> t = table;
    if (t == null) table = t = load("syscalls-" + machine + ".txt");
    return t;
  }

  private static Map<String, Integer> load(String resource) {
    try (InputStream in = Arch.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("the Berth jar lacks " + resource + "; rebuild it");
      Map<String, Integer> map = new HashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.split(" ");
        map.put(f[0], Integer.parseInt(f[1]));
      }
      return Map.copyOf(map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
