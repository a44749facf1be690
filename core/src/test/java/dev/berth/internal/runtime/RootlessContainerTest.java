package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.runtime.RuntimeSpec.Namespace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper run by an unprivileged user (nobody, via setpriv) with a user namespace: the
 * caller's uid becomes root inside, and files it creates belong to the caller outside.
 */
class RootlessContainerTest {
  private static final int NOBODY = 65534;

  @TempDir Path tmp;
  private ContainerHarness harness;

  @Test
  void userNamespace_unprivilegedCaller_isRootInsideAndOwnsItsFilesOutside() throws Exception {
    Path dir = rootlessDir();
    Process p = asNobody(writeConfig(dir, "sh", "-c", "id -u; cat /proc/self/uid_map; touch /made-inside"));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    assumeTrue(!out.contains("error spawn"), "this kernel does not let unprivileged users create user namespaces: " + out);

    assertThat(exit).as(out).isZero();
    assertThat(out.lines().skip(1).toList()).first().isEqualTo("0");
    assertThat(out).containsPattern("\\s0\\s+" + NOBODY + "\\s+1");
    assertThat(Files.getAttribute(dir.resolve("upper/made-inside"), "unix:uid")).isEqualTo(NOBODY);
  }

  @Test
  void exec_unprivilegedCaller_joinsTheUserNamespaceFirstAndIsRootInside() throws Exception {
    Path dir = rootlessDir();
    Process init = asNobody(writeConfig(dir, "sh", "-c", "echo ready; exec sleep 100"));
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(init.getInputStream(), StandardCharsets.UTF_8));
      String started = lines.readLine();
      assumeTrue(!started.contains("error spawn"), "this kernel does not let unprivileged users create user namespaces: " + started);
      assertThat(lines.readLine()).isEqualTo("ready");
      long pid = Long.parseLong(started.split(" ")[2]);
      Path execDir = Files.createDirectories(dir.resolve("exec1"));
      own(execDir);
      Path config = execDir.resolve("helper.config");
      Files.write(config, HelperConfig.encodeExec(RuntimeProcess.builder("sh", "-c", "id -u; ps -o pid,args").env("PATH=/bin").build(),
          new ContainerFiles(execDir), pid));
      Process exec = asNobody(config);
      String out = new String(exec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(exec.waitFor()).as(out).isZero();
      assertThat(out.lines().skip(1).map(String::strip).toList()).startsWith("0", "PID   COMMAND", "1 sleep 100");
    } finally {
      init.destroy(); // the monitor forwards SIGTERM; sleep as pid 1 ignores it, so kill for real
      ProcessHandle.of(init.pid()).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
      init.waitFor();
    }
  }

  private Path rootlessDir() throws Exception {
    harness = new ContainerHarness(tmp);
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux) to run the helper as nobody");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path dir = Files.createDirectories(tmp.resolve("rootless"));
    for (Path p : List.of(dir, Files.createDirectories(dir.resolve("upper")), Files.createDirectories(dir.resolve("work")))) own(p);
    return dir;
  }

  private static void own(Path p) throws Exception {
    Files.setAttribute(p, "unix:uid", NOBODY);
    Files.setAttribute(p, "unix:gid", NOBODY);
  }

  private Path writeConfig(Path dir, String... argv) throws Exception {
    RuntimeSpec spec = RuntimeSpec.builder(
            new RuntimeSpec.Overlay(List.of(harness.lower()), dir.resolve("upper"), dir.resolve("work")), argv)
        .env("PATH=/bin")
        .namespaces(EnumSet.of(Namespace.USER, Namespace.MOUNT, Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.NET))
        .build();
    Path config = dir.resolve("helper.config");
    HelperLauncher.writeSeccomp(spec.security(), new ContainerFiles(dir));
    Files.write(config, HelperConfig.encode(spec, new ContainerFiles(dir)));
    return config;
  }

  private Process asNobody(Path config) throws Exception {
    Path helper = new HelperBinary(tmp.resolve("bin")).path();
    return new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
        helper.toString(), config.toString()).start();
  }
}
