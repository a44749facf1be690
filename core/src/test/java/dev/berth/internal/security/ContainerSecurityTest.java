package dev.berth.internal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.BerthException;
import dev.berth.ContainerStartException;
import dev.berth.internal.runtime.ContainerHarness;
import dev.berth.internal.runtime.HelperBinary;
import dev.berth.internal.runtime.RuntimeProcess;
import dev.berth.internal.runtime.LaunchedContainer;
import dev.berth.internal.runtime.RuntimeSpec;
import dev.berth.testing.MachineLacks;
import dev.berth.testsupport.ChildProcesses;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tries, from inside real busybox containers, what a container must not do, and shows the exact
 * refusal; and that cap-add, privileged and the opt-outs give back what they should. Root only.
 */
@Timeout(60)
class ContainerSecurityTest {
  private static final int EPERM = 1;
  private static final int ETXTBSY = 26;
  private static final int ENOSYS = 38;

  @TempDir static Path tmp;
  private static ContainerProbe probe;
  /** Children that other tests in this JVM started (shared registries) are not ours. */
  private ChildProcesses children;
  private static ContainerHarness harness;

  @BeforeAll
  static void setUp() throws Exception {
    probe = new ContainerProbe(tmp);
    harness = probe.harness;
  }

  @BeforeEach
  void recordChildren() {
    children = ChildProcesses.baseline();
  }

  @AfterEach
  void noMountsOrProcessesLeftOnTheHost() throws Exception {
    assertThat(harness.leftoverMounts()).isEmpty();
    assertThat(children.added()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"keyctl", "add_key", "init_module", "finit_module", "mount", "umount", "unshare_user",
      "unshare_mount", "clone_newuser", "reboot", "ptrace_pid1", "open_by_handle_at", "name_to_handle_at", "bpf",
      "perf_event_open", "kexec_load", "personality", "clock_settime", "iopl", "userfaultfd", "swapon"})
  void defaults_dangerousCall_isEperm(String call) throws Exception {
    assertThat(probe.errno(call)).isEqualTo(EPERM);
  }

  @Test
  void defaults_x32Call_isEnosys() throws Exception {
    assertThat(probe.errno("x32_getpid")).isEqualTo(ENOSYS);
  }

  @Test
  void unconfined_nameToHandleAt_isAllowed() throws Exception {
    // the same call the default filter refuses: seccomp, not a missing capability, refused it
    assertThat(probe.errno(b -> b.seccomp(new RuntimeSpec.Unconfined()), "name_to_handle_at")).isZero();
  }

  @Test
  void unconfined_bpf_isNotRefusedBySeccomp() throws Exception {
    assertThat(probe.errno(b -> b.seccomp(new RuntimeSpec.Unconfined()), "bpf")).isNotEqualTo(EPERM);
  }

  @Test
  void insmod_dummyModule_isRefused() throws Exception {
    ContainerHarness.Result r = harness.run("sh", "-c", "echo junk > /tmp/dummy.ko; insmod /tmp/dummy.ko");
    assertThat(r.exit()).isNotZero();
    assertThat(r.stderr()).contains("Operation not permitted");
  }

  @Test
  void mount_fromShell_isRefused() throws Exception {
    ContainerHarness.Result r = harness.run("mount", "-t", "tmpfs", "none", "/tmp");
    assertThat(r.exit()).isNotZero();
    assertThat(r.stderr()).contains("permission denied");
  }

  @Test
  void defaults_chown_isAllowedByCapChown() throws Exception {
    assertThat(probe.errno("chown")).isZero();
  }

  @Test
  void defaults_mknod_isAllowedByCapMknod() throws Exception {
    assertThat(probe.errno("mknod")).isZero();
  }

  @Test
  void defaults_rawSocket_isAllowedByCapNetRaw() throws Exception {
    assertThat(probe.errno("raw_socket")).isZero();
  }

  @Test
  void capDropNetRaw_rawSocket_isEperm() throws Exception {
    assertThat(probe.errno(b -> b.capDrop("NET_RAW"), "raw_socket")).isEqualTo(EPERM);
  }

  @Test
  void capDropAll_chown_isEperm() throws Exception {
    assertThat(probe.errno(b -> b.capDrop("ALL"), "chown")).isEqualTo(EPERM);
  }

  @Test
  void defaults_changingANetworkInterface_isRefused() throws Exception {
    assertThat(harness.run("ip", "link", "set", "lo", "mtu", "1280").stderr()).contains("Operation not permitted");
  }

  @Test
  void capAddNetAdmin_changingANetworkInterface_works() throws Exception {
    ContainerHarness.Result r = harness.run(b -> b.capAdd("NET_ADMIN"), "sh", "-c", "ip link set lo mtu 1280 && cat /sys/class/net/lo/mtu");
    assertThat(r.stdout()).as(r.stderr()).isEqualTo("1280\n");
  }

  @Test
  void capAddSysPtrace_ptraceOfPid1_isAllowed() throws Exception {
    assertThat(probe.errno(b -> b.capAdd("SYS_PTRACE"), "ptrace_pid1")).isZero();
  }

  @Test
  void capAddSysAdmin_mount_isAllowed() throws Exception {
    assertThat(probe.errno(b -> b.capAdd("CAP_SYS_ADMIN"), "mount")).isZero();
  }

  @Test
  void privileged_mount_isAllowed() throws Exception {
    assertThat(probe.errno(b -> b.privileged(true), "mount")).isZero();
  }

  @Test
  void privileged_hasEveryCapabilityOfTheCaller() throws Exception {
    String mine = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow();
    String status = harness.run(b -> b.privileged(true), "cat", "/proc/self/status").stdout();
    assertThat(status).contains(mine.replace("CapBnd:", "CapEff:"));
  }

  @Test
  void privileged_hasNoSeccomp() throws Exception {
    assertThat(harness.run(b -> b.privileged(true), "cat", "/proc/self/status").stdout()).contains("Seccomp:\t0");
  }

  @Test
  void privileged_procFiles_areNotMasked() throws Exception {
    assertThat(harness.run(b -> b.privileged(true), "grep", "-c", "/proc/keys", "/proc/mounts").stdout()).isEqualTo("0\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/proc/kcore", "/proc/timer_list", "/proc/keys"})
  void defaults_maskedProcFile_readsEmpty(String file) throws Exception {
    MachineLacks.assume(Files.exists(Path.of(file)), file + " (this kernel was built without it)");
    assertThat(harness.run("sh", "-c", "wc -c < " + file).stdout().strip()).isEqualTo("0");
  }

  @Test
  void defaults_writeToSys_isReadOnly() throws Exception {
    ContainerHarness.Result r = harness.run("sh", "-c", "echo 1 > /sys/kernel/profiling");
    assertThat(r.stderr()).contains("Read-only file system");
  }

  @Test
  void defaults_writeToProcSys_isReadOnly() throws Exception {
    ContainerHarness.Result r = harness.run("sh", "-c", "echo 1 > /proc/sys/kernel/domainname");
    assertThat(r.stderr()).contains("Read-only file system");
  }

  @Test
  void defaults_statusShowsSeccompFilterAndNoNewPrivs() throws Exception {
    assertThat(harness.run("cat", "/proc/self/status").stdout()).contains("Seccomp:\t2").contains("NoNewPrivs:\t1");
  }

  @Test
  void noNewPrivilegesOff_statusShowsItOffAndSeccompStillOn() throws Exception {
    String status = harness.run(b -> b.noNewPrivileges(false), "cat", "/proc/self/status").stdout();
    assertThat(status).contains("NoNewPrivs:\t0").contains("Seccomp:\t2");
  }

  @Test
  void noNewPrivilegesOff_dangerousCall_isStillEperm() throws Exception {
    assertThat(probe.errno(b -> b.noNewPrivileges(false), "keyctl")).isEqualTo(EPERM);
  }

  @Test
  void unconfined_statusShowsNoSeccomp() throws Exception {
    assertThat(harness.run(b -> b.seccomp(new RuntimeSpec.Unconfined()), "cat", "/proc/self/status").stdout()).contains("Seccomp:\t0");
  }

  @Test
  void profileFile_itsRulesApply() throws Exception {
    Path profile = Files.writeString(tmp.resolve("no-mkdir.json"), "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
        + "[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}");
    ContainerHarness.Result r = harness.run(b -> b.seccomp(new RuntimeSpec.SeccompProfileFile(profile)), "mkdir", "/tmp/d");
    assertThat(r.stderr()).contains("Permission denied");
  }

  @Test
  void profileJson_itsRulesApply() throws Exception {
    String json = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
        + "[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}";
    ContainerHarness.Result r = harness.run(b -> b.seccomp(new RuntimeSpec.SeccompProfileJson(json)), "mkdir", "/tmp/d");
    assertThat(r.stderr()).contains("Permission denied");
  }

  @Test
  void profileJson_unknownAction_failsBeforeStartNamingTheAction() throws Exception {
    assertThatThrownBy(() -> harness.run(b -> b.seccomp(new RuntimeSpec.SeccompProfileJson("{\"defaultAction\":\"SCMP_ACT_MAYBE\"}")), "true"))
        .isInstanceOf(BerthException.class).hasMessageContaining("given as JSON").hasMessageContaining("SCMP_ACT_MAYBE");
  }

  @Test
  void profileFile_podmansAllowlist_runsAShell() throws Exception {
    Path podman = Path.of("/usr/share/containers/seccomp.json");
    assumeTrue(Files.isReadable(podman), "needs " + podman + " (apt-get install golang-github-containers-common)");
    ContainerHarness.Result r = harness.run(b -> b.seccomp(new RuntimeSpec.SeccompProfileFile(podman)), "sh", "-c", "echo hi | cat; grep Seccomp: /proc/self/status");
    assertThat(r.stdout()).as(r.stderr()).isEqualTo("hi\nSeccomp:\t2\n");
  }

  @Test
  void profileFile_unknownAction_failsBeforeStartNamingFileAndAction() throws Exception {
    Path profile = Files.writeString(tmp.resolve("bad.json"), "{\"defaultAction\":\"SCMP_ACT_MAYBE\"}");
    assertThatThrownBy(() -> harness.run(b -> b.seccomp(new RuntimeSpec.SeccompProfileFile(profile)), "true"))
        .isInstanceOf(BerthException.class).hasMessageContaining(profile.toString()).hasMessageContaining("SCMP_ACT_MAYBE");
  }

  @Test
  void readOnlyRootfs_writeToRoot_isErofs() throws Exception {
    ContainerHarness.Result r = harness.run(b -> b.readOnlyRootfs(true), "touch", "/created");
    assertThat(r.stderr()).contains("Read-only file system");
  }

  @Test
  void readOnlyRootfs_devShmAndDevNull_stayWritable() throws Exception {
    assertThat(harness.run(b -> b.readOnlyRootfs(true), "sh", "-c", "echo x > /dev/shm/f && echo x > /dev/null").exit()).isZero();
  }

  @Test
  void readOnlyRootfs_procStillWorks() throws Exception {
    assertThat(harness.run(b -> b.readOnlyRootfs(true), "cat", "/proc/self/comm").stdout()).isEqualTo("cat\n");
  }

  // CVE-2019-5736 class: the runtime binary overwritten through /proc/<pid>/exe

  @Test
  void cve20195736_openingExeForWritingInside_isEtxtbsy() throws Exception {
    String hash = sha256(harness.helper());
    ContainerHarness.Result r = harness.run("sh", "-c", "probe write_self_exe write_pid1_exe; true");
    assertThat(r.stdout()).isEqualTo("write_self_exe " + ETXTBSY + "\nwrite_pid1_exe " + ETXTBSY + "\n");
    assertThat(sha256(harness.helper())).isEqualTo(hash);
  }

  /** The engine's way (the JVM's sealed copy), and from the file (the helper copies itself). */
  @ParameterizedTest(name = "started from the file: {0}")
  @ValueSource(booleans = {false, true})
  void cve20195736_monitorRunsFromASealedMemfdNotTheHostFile(boolean fromTheFile) throws Exception {
    RuntimeSpec spec = harness.spec("sleep", "100").build();
    LaunchedContainer c = fromTheFile ? harness.startFromTheFile(spec) : harness.start(spec);
    try {
      Path exe = Path.of("/proc", Long.toString(c.monitor().pid()), "exe");
      assertThat(Files.readSymbolicLink(exe).toString()).startsWith("/memfd:berth-helper");
      assertThat(Files.readAllBytes(exe)).isEqualTo(Files.readAllBytes(harness.helper()));
      Object jvmCopy = fileKey(HelperBinary.launchPath(harness.helper()));
      if (fromTheFile) {
        assertThat(fileKey(exe)).as("a copy of its own").isNotEqualTo(jvmCopy);
      } else {
        assertThat(fileKey(exe)).as("the JVM's copy").isEqualTo(jvmCopy);
      }
    } finally {
      ProcessHandle.of(c.hostPid()).ifPresent(ProcessHandle::destroyForcibly);
      c.waitFor();
    }
  }

  @Test
  void cve20195736_monitorsShareTheJvmsSealedCopy_thatNothingCanWrite() throws Exception {
    Path copy = HelperBinary.launchPath(harness.helper());
    assertThat(copy.toString()).startsWith("/proc/" + ProcessHandle.current().pid() + "/fd/");
    LaunchedContainer a = harness.start(harness.spec("sleep", "100").build());
    LaunchedContainer b = harness.start(harness.spec("sleep", "100").build());
    try {
      for (LaunchedContainer c : List.of(a, b)) {
        Path exe = Path.of("/proc", Long.toString(c.monitor().pid()), "exe");
        assertThat(fileKey(exe)).as("the monitor runs the JVM's copy, not one of its own").isEqualTo(fileKey(copy));
        assertThat(Files.readString(Path.of("/proc", Long.toString(c.monitor().pid()), "comm")))
            .isEqualTo("memfd:berth-hel\n");
      }
      assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(harness.helper()));
      assertThatThrownBy(() -> {
        try (OutputStream out = Files.newOutputStream(copy, StandardOpenOption.WRITE)) {
          out.write("evil".getBytes(StandardCharsets.US_ASCII));
        }
      }).isInstanceOf(IOException.class);
    } finally {
      for (LaunchedContainer c : List.of(a, b)) {
        ProcessHandle.of(c.hostPid()).ifPresent(ProcessHandle::destroyForcibly);
        c.waitFor();
      }
    }
  }

  private static Object fileKey(Path p) throws IOException {
    return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
  }

  @Test
  void cve20195736_writingTheMonitorsExe_failsAndLeavesTheHelperAlone() throws Exception {
    String hash = sha256(harness.helper());
    LaunchedContainer c = harness.start(harness.spec("sleep", "100").build());
    try {
      Path exe = Path.of("/proc", Long.toString(c.monitor().pid()), "exe");
      assertThatThrownBy(() -> {
        try (OutputStream out = Files.newOutputStream(exe, StandardOpenOption.WRITE)) {
          out.write("evil".getBytes(StandardCharsets.US_ASCII));
        }
      }).isInstanceOf(IOException.class);
      assertThat(sha256(harness.helper())).isEqualTo(hash);
    } finally {
      ProcessHandle.of(c.hostPid()).ifPresent(ProcessHandle::destroyForcibly);
      c.waitFor();
    }
  }

  @Test
  void cve20195736_openingExeForWritingFromAnExec_isEtxtbsy() throws Exception {
    String hash = sha256(harness.helper());
    String out = inRunningContainer(b -> b, "probe write_self_exe write_pid1_exe");
    assertThat(out).isEqualTo("write_self_exe " + ETXTBSY + "\nwrite_pid1_exe " + ETXTBSY + "\n");
    assertThat(sha256(harness.helper())).isEqualTo(hash);
  }

  @Test
  void exec_getsTheContainersSeccompFilter() throws Exception {
    assertThat(inRunningContainer(b -> b, "probe keyctl")).isEqualTo("keyctl " + EPERM + "\n");
  }

  @Test
  void exec_inCapDropAllContainer_hasNoCapabilities() throws Exception {
    assertThat(inRunningContainer(b -> b.capDrop("ALL"), "grep CapEff /proc/self/status")).isEqualTo("CapEff:\t0000000000000000\n");
  }

  @Test
  void exec_inCapAddNetAdminContainer_holdsNetAdmin() throws Exception {
    assertThat(inRunningContainer(b -> b.capAdd("NET_ADMIN"), "ip link set lo mtu 1280 && echo changed")).isEqualTo("changed\n");
  }

  /** Starts a sleeping container made with options, execs sh -c script in it, returns its stdout. */
  private static String inRunningContainer(UnaryOperator<RuntimeSpec.Builder> options, String script) throws Exception {
    LaunchedContainer c = harness.start(options.apply(harness.spec("sleep", "100")).build());
    try {
      ContainerHarness.Result r = ContainerHarness.collect(harness.exec(c, RuntimeProcess.builder("sh", "-c", script).env("PATH=/bin").build()));
      return r.stdout() + r.stderr();
    } finally {
      ProcessHandle.of(c.hostPid()).ifPresent(ProcessHandle::destroyForcibly);
      c.waitFor();
    }
  }

  @Test
  void helperFile_isReadOnlyAndRootOwned() throws Exception {
    assertThat(Files.getPosixFilePermissions(harness.helper()).toString()).doesNotContain("WRITE");
    assertThat(Files.getAttribute(harness.helper(), "unix:uid")).isEqualTo(0);
  }

  // CVE-2024-21626 class: host fds leaking into the container

  @Test
  void cve202421626_onlyStdioFdsReachTheContainer() throws Exception {
    // 3 is the directory ls itself opened
    assertThat(harness.run("ls", "/proc/self/fd").stdout().lines()).containsExactly("0", "1", "2", "3");
  }

  @Test
  void cve202421626_cwdIsInsideTheContainer() throws Exception {
    assertThat(harness.run(b -> b.cwd("/srv"), "readlink", "/proc/self/cwd").stdout()).isEqualTo("/srv\n");
  }

  @Test
  void cve202421626_cwdThroughProcSelfFd_isRefused() {
    assertThatThrownBy(() -> harness.run(b -> b.cwd("/proc/self/fd/7"), "ls", ".."))
        .isInstanceOfSatisfying(ContainerStartException.class, e -> assertThat(e.stage()).isEqualTo("cwd"));
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
