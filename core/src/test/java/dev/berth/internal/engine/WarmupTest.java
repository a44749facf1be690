package dev.berth.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.Berth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh JVM that opens an engine loads, on the warm-up thread and without running anything,
 * what its first container needs (Jackson, the seccomp compiler); {@code -Dberth.warmup=false}
 * keeps a JVM that only lists from paying for it.
 */
class WarmupTest {
  @TempDir Path tmp;

  @Test
  void openEngine_freshJvm_loadsWhatTheFirstContainerNeedsInTheBackground() throws Exception {
    List<String> loaded = openAndIdle(true);
    assertThat(loaded).anyMatch(l -> l.contains("com.fasterxml.jackson.databind.ObjectMapper "))
        .anyMatch(l -> l.contains("dev.berth.internal.security.SeccompCompiler "));
  }

  @Test
  void openEngine_warmupOff_loadsNeither() throws Exception {
    List<String> loaded = openAndIdle(false);
    assertThat(loaded).anyMatch(l -> l.contains("dev.berth.internal.engine.Engine "))
        .noneMatch(l -> l.contains("com.fasterxml.jackson.databind.ObjectMapper "))
        .noneMatch(l -> l.contains("dev.berth.internal.security.SeccompCompiler "));
  }

  /** The classes a child JVM loaded while it opened an engine and then idled for 3 s. */
  private List<String> openAndIdle(boolean warmup) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xlog:class+load",
        "-Dberth.warmup=" + warmup, "-cp", System.getProperty("java.class.path"),
        OpenAndIdle.class.getName(), tmp.resolve("home").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(lines).contains("idle done");
    return lines;
  }

  /** The child: opens an engine, idles, closes it. */
  public static final class OpenAndIdle {
    public static void main(String[] args) throws Exception {
      try (Berth berth = Berth.builder().home(Path.of(args[0])).build()) {
        Thread.sleep(3000);
        System.out.println("idle done");
      }
    }
  }
}
