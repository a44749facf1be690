package dev.berth.internal.security;

import dev.berth.Capability;
import dev.berth.BerthException;
import dev.berth.internal.security.BpfAssembler.Label;
import dev.berth.internal.security.SeccompProfile.ArgCheck;
import dev.berth.internal.security.SeccompProfile.Filter;
import dev.berth.internal.security.SeccompProfile.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns a Docker-format seccomp profile into the classic BPF program the helper installs with
 * seccomp(SECCOMP_SET_MODE_FILTER). The program:
 *
 * <ol>
 *   <li>kills the process when seccomp_data.arch is not this architecture's (a 32-bit call
 *       through int 0x80 has other numbers, so our rules would not hold for it);
 *   <li>on x86_64, denies x32 calls (numbers with bit 30) with ENOSYS, for the same reason;
 *   <li>tests the rules in the profile's order, first match deciding (so an ALLOW rule with
 *       argument checks can precede a general ERRNO rule for the same call);
 *   <li>returns the default action.
 * </ol>
 *
 * Syscall names this architecture lacks are skipped, as libseccomp-based runtimes skip names the
 * kernel does not know. A rule applies when the container holds every capability in its
 * includes.caps and none in its excludes.caps, as Docker decides.
 */
public final class SeccompCompiler {
  private static final int NR = 0;
  private static final int ARCH = 4;
  private static final int ARGS = 16;

  private final Arch arch;
  private final Set<String> caps;
  private final KernelVersion kernel;
  private final BpfAssembler asm = new BpfAssembler();

  private SeccompCompiler(Arch arch, Collection<Capability> caps, KernelVersion kernel) {
    this.arch = arch;
    this.caps = Capabilities.capNames(caps);
    this.kernel = kernel;
  }

  /** Built-in programs by capability set: the profile, the machine and the kernel do not change. */
  private static final java.util.Map<java.util.Set<Capability>, byte[]> BUILT_IN =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Compiles Berth's default profile for a container holding caps, on this machine (once per caps). */
  public static byte[] compileBuiltIn(Collection<Capability> caps) {
    byte[] program = BUILT_IN.computeIfAbsent(java.util.Set.copyOf(caps),
        k -> compile(SeccompProfile.builtIn(), Arch.current(), k, KernelVersion.running()));
    return program.clone();
  }

  /**
   * Compiles the user's profile file for a container holding caps, on this machine.
   *
   * @throws BerthException naming the file when it cannot be read or is not a valid profile
   */
  public static byte[] compileFile(Path profile, Collection<Capability> caps) {
    try {
      return compileText(Files.readString(profile), profile.toString(), caps);
    } catch (IOException e) {
      throw new BerthException("Cannot read the seccomp profile " + profile + ": " + e.getMessage(), e);
    }
  }

  /**
   * Compiles a profile given as its text (Docker's format) for a container holding caps.
   *
   * @throws BerthException when it is not a valid profile
   */
  public static byte[] compileText(String json, Collection<Capability> caps) {
    return compileText(json, "the seccomp profile given as JSON", caps);
  }

  private static byte[] compileText(String json, String name, Collection<Capability> caps) {
    try {
      return compile(SeccompProfile.parse(json, name), Arch.current(), caps, KernelVersion.running());
    } catch (IllegalArgumentException e) {
      throw new BerthException(e.getMessage() + "; fix the profile or run with seccomp unconfined", e);
    }
  }

  static byte[] compile(SeccompProfile profile, Arch arch, Collection<Capability> caps, KernelVersion kernel) {
    SeccompCompiler c = new SeccompCompiler(arch, caps, kernel);
    c.prologue();
    for (Rule r : profile.rules()) {
      if (c.applies(r)) c.rule(r);
    }
    c.asm.ret(profile.defaultAction().ret());
    return c.asm.assemble();
  }

  private void prologue() {
    Label archOk = asm.label();
    asm.load(ARCH);
    asm.jump(BpfAssembler.JEQ, arch.auditArch, archOk, null);
    asm.ret(SeccompAction.KILL_PROCESS.ret());
    asm.bind(archOk);
    asm.load(NR);
    if (arch == Arch.X86_64) {
      Label native64 = asm.label();
      asm.jump(BpfAssembler.JGE, Arch.X32_SYSCALL_BIT, null, native64);
      asm.ret(SeccompAction.errno(SeccompAction.ENOSYS).ret());
      asm.bind(native64);
    }
  }

  private boolean applies(Rule r) {
    Filter in = r.includes(), ex = r.excludes();
    return caps.containsAll(in.caps()) && ex.caps().stream().noneMatch(caps::contains)
        && (in.arches().isEmpty() || in.arches().stream().anyMatch(arch.profileNames::contains))
        && ex.arches().stream().noneMatch(arch.profileNames::contains)
        && (in.minKernel() == null || kernel.atLeast(KernelVersion.parse(in.minKernel())));
  }

  /** Per call: A holds the syscall number on entry and on leaving. */
  private void rule(Rule r) {
    for (String name : r.names()) {
      OptionalInt nr = arch.syscall(name);
      if (nr.isEmpty()) continue;
      Label next = asm.label();
      asm.jump(BpfAssembler.JEQ, nr.getAsInt(), null, next);
      for (ArgCheck a : r.args()) check(a, next);
      asm.ret(r.action().ret());
      asm.bind(next);
      if (!r.args().isEmpty()) asm.load(NR);
    }
  }

  /** Falls through when the 64-bit argument matches, jumps to fail when not; halves compared high first. */
  private void check(ArgCheck a, Label fail) {
    int lo = ARGS + 8 * a.index(), hi = lo + 4; // both architectures are little-endian
    long v = a.op().equals("SCMP_CMP_MASKED_EQ") ? a.value2() : a.value();
    int vHi = (int) (v >>> 32), vLo = (int) v;
    Label pass = asm.label();
    switch (a.op()) {
      case "SCMP_CMP_EQ" -> {
        asm.load(hi);
        asm.jump(BpfAssembler.JEQ, vHi, null, fail);
        asm.load(lo);
        asm.jump(BpfAssembler.JEQ, vLo, null, fail);
      }
      case "SCMP_CMP_NE" -> {
        asm.load(hi);
        asm.jump(BpfAssembler.JEQ, vHi, null, pass);
        asm.load(lo);
        asm.jump(BpfAssembler.JEQ, vLo, fail, null);
      }
      case "SCMP_CMP_GT", "SCMP_CMP_GE" -> {
        asm.load(hi);
        asm.jump(BpfAssembler.JGT, vHi, pass, null);
        asm.jump(BpfAssembler.JEQ, vHi, null, fail);
        asm.load(lo);
        asm.jump(a.op().equals("SCMP_CMP_GT") ? BpfAssembler.JGT : BpfAssembler.JGE, vLo, null, fail);
      }
      case "SCMP_CMP_LT", "SCMP_CMP_LE" -> {
        asm.load(hi);
        asm.jump(BpfAssembler.JGT, vHi, fail, null);
        asm.jump(BpfAssembler.JEQ, vHi, null, pass);
        asm.load(lo);
        asm.jump(a.op().equals("SCMP_CMP_LT") ? BpfAssembler.JGE : BpfAssembler.JGT, vLo, fail, null);
      }
      case "SCMP_CMP_MASKED_EQ" -> {
        long mask = a.value();
        asm.load(hi);
        asm.and((int) (mask >>> 32));
        asm.jump(BpfAssembler.JEQ, vHi, null, fail);
        asm.load(lo);
        asm.and((int) mask);
        asm.jump(BpfAssembler.JEQ, vLo, null, fail);
      }
      default -> throw new IllegalStateException(a.op()); // ArgCheck admits no other
    }
    asm.bind(pass);
  }
}
