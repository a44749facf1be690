package dev.berth.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.BerthException;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.LinuxException;
import dev.berth.testsupport.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A full disk is told by errno, whatever language the messages are in. */
class StoreDiskFullTest {

  @Test
  void failure_writeToAFullDevice_saysTheDiskIsFullAndNamesTheStore() {
    IOException e = writeToDevFull();
    assertThat(Store.failure("cannot store blob x", Path.of("/home/me/.berth"), e))
        .hasMessageContaining("the disk holding /home/me/.berth is full")
        .hasCause(e);
  }

  @Test
  void isDiskFull_enospcFromASyscall_isTrue_andAnotherErrnoIsNot() {
    assertThat(Store.isDiskFull(new BerthException("unpacking failed",
        new LinuxException(Errno.ENOSPC, "mknodat", "dev/null")))).isTrue();
    assertThat(Store.isDiskFull(new LinuxException(Errno.EPERM, "mknodat", "dev/null"))).isFalse();
  }

  @Test
  void isDiskFull_wrappedWriteFailure_isTrue_butAMessageMerelyMentioningIt_isNot() {
    assertThat(Store.isDiskFull(new UncheckedIOException(writeToDevFull()))).isTrue();
    assertThat(Store.isDiskFull(new IOException("log line: No space left on device"))).isFalse();
  }

  /** The message-based check this replaces missed exactly this: the JDK's German message. */
  @Test
  void failure_writeToAFullDevice_inAGermanLocale_stillSaysTheDiskIsFull() throws Exception {
    assumeTrue(ChildJvm.hasGermanMessages(), "libc's German messages are not installed (libc-l10n)");
    Process child = ChildJvm.startInGerman(DiskFullInLocaleMain.class, "/home/me/.berth");
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("the JDK's message is German").contains("jdk=Auf dem Gerät ist kein Speicherplatz");
    assertThat(out).contains("failure=cannot store blob x: the disk holding /home/me/.berth is full");
  }

  private static IOException writeToDevFull() {
    assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full here");
    try {
      Files.write(Path.of("/dev/full"), new byte[64]);
    } catch (IOException e) {
      return e;
    }
    throw new AssertionError("writing /dev/full succeeded");
  }
}
