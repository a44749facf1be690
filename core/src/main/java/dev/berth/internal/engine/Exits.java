package dev.berth.internal.engine;

import dev.berth.BerthException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on a container's exit future, its failure rethrown as the Berth exception it was. */
public final class Exits {
  private Exits() {}

  /** @return the exit code */
  public static int await(CompletableFuture<Integer> exit) throws InterruptedException {
    try {
      return exit.get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /** @return true when it exited within {@code timeout} */
  public static boolean await(CompletableFuture<Integer> exit, Duration timeout)
      throws InterruptedException {
    try {
      exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  private static RuntimeException unwrap(ExecutionException e) {
    return e.getCause() instanceof RuntimeException r ? r
        : new BerthException("waiting for a container failed: " + e.getCause(), e.getCause());
  }
}
