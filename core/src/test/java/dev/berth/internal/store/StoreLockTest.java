package dev.berth.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLockTest {
  /** Another JVM: holds lock B, then waits for lock A, then lets both go. */
  private static final String OTHER = """
      import java.nio.channels.FileChannel;
      import java.nio.file.*;
      public class Other {
        public static void main(String[] a) throws Exception {
          try (FileChannel b = FileChannel.open(Path.of(a[1]), StandardOpenOption.WRITE);
              var lb = b.lock()) {
            System.out.println("holding B");
            System.out.flush();
            try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.WRITE);
                var la = ch.lock()) {
              System.out.println("got A");
            }
          }
        }
      }
      """;

  @Test
  void twoJvmsWaitingOnEachOthersLocksBothGetThemInTheEnd(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a.lock");
    Path b = dir.resolve("b.lock");
    Files.createFile(a);
    Files.createFile(b);
    Path source = dir.resolve("Other.java");
    Files.writeString(source, OTHER);
    StoreLock lockA = StoreLock.acquire(a);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process other = new ProcessBuilder(java, source.toString(), a.toString(), b.toString())
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("holding B");
      Thread.sleep(300); // let the other JVM block on A
      // B is held by a process waiting for our A: the kernel's deadlock detector says EDEADLK
      CompletableFuture<StoreLock> lockB = CompletableFuture.supplyAsync(() -> StoreLock.acquire(b));
      Thread.sleep(300);
      assertThat(lockB).isNotDone();
      lockA.close(); // the other JVM gets A, lets both go, and we get B
      try (StoreLock held = lockB.get(30, TimeUnit.SECONDS)) {
        assertThat(held).isNotNull();
      }
      assertThat(out.readLine()).isEqualTo("got A");
    } finally {
      other.destroyForcibly();
      other.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
