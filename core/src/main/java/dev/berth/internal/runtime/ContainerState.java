package dev.berth.internal.runtime;

import dev.berth.BerthException;
import dev.berth.internal.util.RecordJson;
import dev.berth.internal.util.Rfc3339;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The monitor's state.json: "running" right after the start, "exited" with the exit code
 * (128+signal when killed) once the container's init is gone.
 *
 * @param finishedAt null while running
 * @param exitCode null while running
 */
public record ContainerState(String status, long pid, long monitorPid, Instant startedAt, Instant finishedAt, Integer exitCode,
    boolean oomKilled) {

  /**
   * @return the state, or empty when the monitor has not written one yet. A file that came back
   *     empty or zeroed from a machine crash (the monitor does not fsync it) reads as a state of
   *     no status and no process, which the engine reports as exited with code 255.
   */
  public static Optional<ContainerState> read(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (lostInACrash(bytes)) {
        return Optional.of(new ContainerState("", 0, 0, null, null, null, false));
      }
      StateFile f = RecordJson.read(bytes, StateFile.class);
      return Optional.of(new ContainerState(f.status() == null ? "" : f.status(), f.pid(),
          f.monitorPid(), instant(f.startedAt()), instant(f.finishedAt()), f.exitCode(),
          f.oomKilled()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BerthException("Cannot read the container state " + file + ": " + e.getMessage()
          + "; the container directory may be damaged", e);
    }
  }

  private static boolean lostInACrash(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) return false;
    }
    return true;
  }

  private static Instant instant(String text) {
    return text == null ? null : Rfc3339.parse(text);
  }

  /** The file as the monitor writes it (state.c): times as RFC 3339 text. */
  private record StateFile(String status, long pid, long monitorPid, String startedAt,
      String finishedAt, Integer exitCode, boolean oomKilled) {}

  public boolean exited() {
    return "exited".equals(status);
  }
}
