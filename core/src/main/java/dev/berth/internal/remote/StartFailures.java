package dev.berth.internal.remote;

import dev.berth.BerthException;
import dev.berth.ConflictException;
import dev.berth.ContainerStartException;
import dev.berth.NotFoundException;

/**
 * A start (of a container or an exec) the engine refused, typed as the local engine types it:
 * {@link ContainerStartException} with the exit code the docker CLI reads from the engine's
 * message (its {@code runStartContainerErr}): 127 when the program is not found, 126 when it
 * cannot be run, 125 for any other start failure.
 */
final class StartFailures {
  private StartFailures() {}

  /**
   * @param what what could not start, for the message
   * @param e the engine's refusal
   * @return {@code e} itself when it names a missing object, or a conflict that is not a
   *     program failing to start; else a
   *     {@link ContainerStartException} saying what, with the engine's message
   */
  static BerthException typed(String what, BerthException e) {
    if (e instanceof NotFoundException || e instanceof ContainerStartException) {
      return e;
    }
    String m = e.getMessage() == null ? "" : e.getMessage();
    int code = m.contains("executable file not found") || m.contains("no such file or directory")
        ? 127 : m.contains("permission denied") || m.contains("is a directory") ? 126 : 125;
    if (e instanceof ConflictException && code == 125) {
      return e; // not a start that failed (podman fails the attach, 409, when the exec does)
    }
    ContainerStartException typed = new ContainerStartException(what + ": " + m,
        code == 125 ? "start" : "exec", code == 127 ? 2 : code == 126 ? 13 : 0, code);
    typed.initCause(e);
    return typed;
  }
}
