package dev.berth.internal.security;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.runtime.ContainerHarness;
import dev.berth.internal.runtime.RuntimeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.UnaryOperator;

/**
 * The security suite's fixture: busybox containers (via {@link ContainerHarness}, root only) with
 * /bin/probe, a static C program built from probe.c that makes one syscall and prints its errno.
 */
final class ContainerProbe {
  private static final Path GCC = Path.of("/usr/bin/gcc");

  final ContainerHarness harness;

  ContainerProbe(Path base) throws IOException, InterruptedException {
    harness = new ContainerHarness(base);
    assumeTrue(Files.isExecutable(GCC), "needs gcc and libc6-dev to build the static probe program");
    Path src = base.resolve("probe.c");
    try (InputStream in = ContainerProbe.class.getResourceAsStream("probe.c")) {
      Files.copy(in, src, StandardCopyOption.REPLACE_EXISTING);
    }
    Path bin = harness.lower().resolve("bin/probe");
    Process gcc = new ProcessBuilder(GCC.toString(), "-static", "-O1", "-o", bin.toString(), src.toString())
        .redirectErrorStream(true).start();
    String out = new String(gcc.getInputStream().readAllBytes());
    assumeTrue(gcc.waitFor() == 0, "cannot build the static probe (is libc6-dev installed?): " + out);
  }

  /**
   * Runs probe for one call in a fresh container; sh stays pid 1 and probe is its child.
   *
   * @return the call's errno, 0 when it succeeded
   */
  int errno(UnaryOperator<RuntimeSpec.Builder> options, String call) throws Exception {
    ContainerHarness.Result r = harness.run(options, "sh", "-c", "probe " + call + "; true");
    String line = r.stdout().strip();
    if (!line.startsWith(call + " ")) throw new AssertionError("probe " + call + " said: " + r.stdout() + r.stderr());
    return Integer.parseInt(line.substring(call.length() + 1));
  }

  int errno(String call) throws Exception {
    return errno(UnaryOperator.identity(), call);
  }
}
