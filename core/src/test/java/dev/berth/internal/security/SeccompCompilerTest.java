package dev.berth.internal.security;

import dev.berth.Capability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The compiled programs, run by a BPF interpreter on chosen syscalls. */
class SeccompCompilerTest {
  private static final int ALLOW = 0x7fff0000;
  private static final int EPERM = 0x00050001;
  private static final int ENOSYS = 0x00050026;
  private static final int KILL_PROCESS = 0x80000000;
  private static final Arch X86 = Arch.X86_64;
  private static final KernelVersion KERNEL = new KernelVersion(6, 1);

  private static byte[] compile(String json, Set<Capability> caps) {
    return SeccompCompiler.compile(SeccompProfile.parse(json, "test.json"), X86, caps, KERNEL);
  }

  private static byte[] builtIn(Set<Capability> caps) {
    return SeccompCompiler.compile(SeccompProfile.builtIn(), X86, caps, KERNEL);
  }

  private static int nr(String name) {
    return X86.syscall(name).orElseThrow();
  }

  private static int run(byte[] prog, String name, long... args) {
    return BpfInterpreter.run(prog, X86.auditArch, nr(name), args);
  }

  private static String oneArgRule(String op, long value, long value2) {
    return "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\","
        + "\"args\":[{\"index\":1,\"value\":" + value + ",\"valueTwo\":" + value2 + ",\"op\":\"" + op + "\"}]}]}";
  }

  @Test
  void builtIn_keyctl_isEperm() {
    assertThat(run(builtIn(Capabilities.DOCKER_DEFAULT), "keyctl")).isEqualTo(EPERM);
  }

  @Test
  void builtIn_read_isAllowed() {
    assertThat(run(builtIn(Capabilities.DOCKER_DEFAULT), "read")).isEqualTo(ALLOW);
  }

  @Test
  void builtIn_foreignArch_killsTheProcess() {
    assertThat(BpfInterpreter.run(builtIn(Capabilities.DOCKER_DEFAULT), 0x40000003 /* AUDIT_ARCH_I386 */, 0)).isEqualTo(KILL_PROCESS);
  }

  @Test
  void builtIn_x32Call_isEnosys() {
    assertThat(BpfInterpreter.run(builtIn(Capabilities.DOCKER_DEFAULT), X86.auditArch, Arch.X32_SYSCALL_BIT | nr("keyctl"))).isEqualTo(ENOSYS);
  }

  @Test
  void builtIn_mountWithoutSysAdmin_isEperm() {
    assertThat(run(builtIn(Capabilities.DOCKER_DEFAULT), "mount")).isEqualTo(EPERM);
  }

  @Test
  void builtIn_mountWithSysAdminAdded_isAllowed() {
    assertThat(run(builtIn(Capabilities.resolve(Set.of("SYS_ADMIN"), Set.of(), false)), "mount")).isEqualTo(ALLOW);
  }

  @Test
  void builtIn_cloneForkingAThread_isAllowed() {
    assertThat(run(builtIn(Capabilities.DOCKER_DEFAULT), "clone", 0x3d0f00 /* what pthread_create passes */)).isEqualTo(ALLOW);
  }

  @Test
  void builtIn_cloneNewUser_isEperm() {
    assertThat(run(builtIn(Capabilities.DOCKER_DEFAULT), "clone", 0x10000000L | 17)).isEqualTo(EPERM);
  }

  @Test
  void builtIn_clone3_isEnosysSoLibcFallsBackToClone() {
    assertThat(run(builtIn(Capabilities.DOCKER_DEFAULT), "clone3")).isEqualTo(ENOSYS);
  }

  @ParameterizedTest
  @CsvSource({"0, true", "8, true", "131072, true", "4294967295, true", "4194304, false", "6, false"})
  void builtIn_personality_allowsOnlyLinuxVariants(long persona, boolean allowed) {
    assertThat(run(builtIn(Capabilities.DOCKER_DEFAULT), "personality", persona)).isEqualTo(allowed ? ALLOW : EPERM);
  }

  @Test
  void builtIn_ptraceWithSysPtraceAdded_isAllowed() {
    assertThat(run(builtIn(Capabilities.resolve(Set.of("CAP_SYS_PTRACE"), Set.of(), false)), "ptrace")).isEqualTo(ALLOW);
  }

  @ParameterizedTest
  @CsvSource({
      // op, value, valueTwo, argument, matches
      "SCMP_CMP_EQ, 4294967296, 0, 4294967296, true",
      "SCMP_CMP_EQ, 4294967296, 0, 0, false",
      "SCMP_CMP_EQ, 5, 0, 4294967301, false", // same low half, other high half
      "SCMP_CMP_NE, 5, 0, 4294967301, true",
      "SCMP_CMP_NE, 5, 0, 5, false",
      "SCMP_CMP_GT, 4294967296, 0, 4294967297, true",
      "SCMP_CMP_GT, 4294967296, 0, 4294967296, false",
      "SCMP_CMP_GT, 4294967296, 0, 8589934592, true",
      "SCMP_CMP_GT, 4294967296, 0, 4294967295, false",
      "SCMP_CMP_GE, 4294967296, 0, 4294967296, true",
      "SCMP_CMP_GE, 4294967296, 0, 4294967295, false",
      "SCMP_CMP_LT, 4294967296, 0, 4294967295, true",
      "SCMP_CMP_LT, 4294967296, 0, 4294967296, false",
      "SCMP_CMP_LT, 4294967296, 0, 8589934591, false",
      "SCMP_CMP_LE, 4294967296, 0, 4294967296, true",
      "SCMP_CMP_LE, 4294967296, 0, 4294967297, false",
      "SCMP_CMP_LE, 3, 0, 2, true",
      "SCMP_CMP_MASKED_EQ, 4294967297, 1, 4294967299, false", // high bit of the mask set in the argument
      "SCMP_CMP_MASKED_EQ, 4294967297, 1, 3, true",
      "SCMP_CMP_MASKED_EQ, 4294967297, 1, 2, false",
  })
  void argCheck_comparesAll64Bits(String op, long value, long value2, long argument, boolean matches) {
    assertThat(run(compile(oneArgRule(op, value, value2), Set.of()), "read", 0, argument)).isEqualTo(matches ? EPERM : ALLOW);
  }

  @Test
  void rule_unknownSyscallName_isSkipped() {
    byte[] prog = compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"no_such_call\",\"read\"],\"action\":\"SCMP_ACT_KILL\"}]}", Set.of());
    assertThat(run(prog, "read")).isZero();
  }

  @Test
  void rule_errnoRet_isReturned() {
    byte[] prog = compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}", Set.of());
    assertThat(run(prog, "read")).isEqualTo(0x00050000 | 13);
  }

  @Test
  void rule_includesCapNotHeld_doesNotApply() {
    byte[] prog = compile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}", Set.of());
    assertThat(run(prog, "read")).isEqualTo(EPERM);
  }

  @Test
  void rule_includesArchOfAnotherCpu_doesNotApply() {
    byte[] prog = compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_TRAP\",\"includes\":{\"arches\":[\"SCMP_ARCH_AARCH64\"]}}]}", Set.of());
    assertThat(run(prog, "read")).isEqualTo(ALLOW);
  }

  @Test
  void rule_includesGoArchName_applies() {
    byte[] prog = compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_TRAP\",\"includes\":{\"arches\":[\"amd64\",\"x32\"]}}]}", Set.of());
    assertThat(run(prog, "read")).isEqualTo(0x00030000);
  }

  /** The program an arm64 JVM installs: AUDIT_ARCH_AARCH64 (0xC00000B7) and arm64's numbers. */
  private static byte[] builtInArm64() {
    return SeccompCompiler.compile(SeccompProfile.builtIn(), Arch.AARCH64, Capabilities.DOCKER_DEFAULT, KERNEL);
  }

  @Test
  void builtInOnArm64_checksAuditArchAarch64_andKillsX86_64Calls() {
    assertThat(Arch.AARCH64.auditArch).isEqualTo(0xC00000B7);
    assertThat(BpfInterpreter.run(builtInArm64(), 0xC00000B7, Arch.AARCH64.syscall("read").orElseThrow())).isEqualTo(ALLOW);
    assertThat(BpfInterpreter.run(builtInArm64(), X86.auditArch, nr("read"))).isEqualTo(KILL_PROCESS);
  }

  @Test
  void builtInOnArm64_usesArm64Numbers() {
    // keyctl is 219 on arm64 and 250 on x86_64; arm64's 250 is unassigned, its 0 is io_setup
    int keyctl = Arch.AARCH64.syscall("keyctl").orElseThrow();
    assertThat(keyctl).isEqualTo(219).isNotEqualTo(nr("keyctl"));
    assertThat(BpfInterpreter.run(builtInArm64(), 0xC00000B7, keyctl)).isEqualTo(EPERM);
    assertThat(BpfInterpreter.run(builtInArm64(), 0xC00000B7, Arch.AARCH64.syscall("mount").orElseThrow())).isEqualTo(EPERM);
  }

  @Test
  void rule_minKernelAboveRunning_doesNotApply() {
    byte[] prog = compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_LOG\",\"includes\":{\"minKernel\":\"9.0\"}}]}", Set.of());
    assertThat(run(prog, "read")).isEqualTo(ALLOW);
  }

  /** Podman's allowlist profile (containers-common), as a real Docker-format profile from elsewhere. */
  private static byte[] podmanProfile() throws Exception {
    Path p = Path.of("/usr/share/containers/seccomp.json");
    assumeTrue(Files.isReadable(p), "needs " + p + " (apt-get install golang-github-containers-common)");
    return SeccompCompiler.compile(SeccompProfile.parse(Files.readString(p), p.toString()), X86, Capabilities.DOCKER_DEFAULT, KERNEL);
  }

  @Test
  void podmanProfile_listedCall_isAllowed() throws Exception {
    assertThat(run(podmanProfile(), "read")).isEqualTo(ALLOW);
  }

  @Test
  void podmanProfile_unlistedCall_getsItsDefaultEnosys() throws Exception {
    assertThat(run(podmanProfile(), "afs_syscall")).isEqualTo(ENOSYS);
  }

  @Test
  void podmanProfile_kexecLoad_isEperm() throws Exception {
    assertThat(run(podmanProfile(), "kexec_load")).isEqualTo(EPERM);
  }

  @Test
  void podmanProfile_archPrctlForAmd64_isAllowed() throws Exception {
    assertThat(run(podmanProfile(), "arch_prctl")).isEqualTo(ALLOW);
  }

  @Test
  void profile_unknownAction_isAnErrorNamingIt() {
    assertThatThrownBy(() -> compile("{\"defaultAction\":\"SCMP_ACT_SHRUG\"}", Set.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test.json").hasMessageContaining("\"SCMP_ACT_SHRUG\"");
  }

  @Test
  void profile_unknownComparison_isAnErrorNamingIt() {
    assertThatThrownBy(() -> compile(oneArgRule("SCMP_CMP_ABOUT", 1, 0), Set.of())).hasMessageContaining("SCMP_CMP_ABOUT");
  }

  @Test
  void profile_notJson_isAnErrorNamingTheProfile() {
    assertThatThrownBy(() -> compile("{defaultAction", Set.of())).hasMessageContaining("test.json is not valid JSON");
  }

  @Test
  void profile_aFieldOfTheWrongTypeOrMissing_isAnErrorNamingItsPlace() {
    assertThatThrownBy(() -> compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
        + "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":\"1\"}]}", Set.of()))
        .hasMessageContaining("seccomp profile test.json: expected an integer for syscalls[0].errnoRet but found a string");
    assertThatThrownBy(() -> compile("{\"syscalls\":[]}", Set.of()))
        .hasMessageContaining("seccomp profile test.json: \"defaultAction\" is missing in the profile");
    assertThatThrownBy(() -> compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
        + "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":2}]}]}", Set.of()))
        .hasMessageContaining("\"op\" is missing in syscalls[0].args[0]");
  }

  @Test
  void profile_aUint64ArgumentAboveLongMax_keepsItsBits() {
    String profile = oneArgRule("SCMP_CMP_EQ", 1, 0).replace("\"value\":1,", "\"value\":18446744073709551615,");
    assertThat(run(compile(profile, Set.of()), "read", 0, -1L)).isEqualTo(EPERM);
    assertThat(run(compile(profile, Set.of()), "read", 0, 1L)).isEqualTo(ALLOW);
  }

  @Test
  void compileFile_missingFile_throwsNamingIt(@TempDir Path dir) {
    assertThatThrownBy(() -> SeccompCompiler.compileFile(dir.resolve("absent.json"), Set.of()))
        .isInstanceOf(BerthException.class).hasMessageContaining("absent.json");
  }

  @Test
  void compileFile_traceAction_throwsSayingWhy(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("p.json"), "{\"defaultAction\":\"SCMP_ACT_TRACE\"}");
    assertThatThrownBy(() -> SeccompCompiler.compileFile(f, Set.of()))
        .isInstanceOf(BerthException.class).hasMessageContaining(f.toString()).hasMessageContaining("tracer");
  }
}
