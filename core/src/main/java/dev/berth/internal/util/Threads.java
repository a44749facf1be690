package dev.berth.internal.util;

import java.util.concurrent.Executor;

/** Threads for blocking work (reading a process's stream until it ends). */
public final class Threads {
  private Threads() {}

  /**
   * An executor that runs each task on a new daemon thread. For blocking reads given to
   * {@code CompletableFuture.supplyAsync}: never its default pool, which JDK 25 makes the common
   * pool even with one or two CPUs, so a read there queues behind (and holds back) whatever else
   * the JVM runs in it.
   *
   * @param name the threads' name
   * @return the executor
   */
  public static Executor daemonPerTask(String name) {
    return task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      t.start();
    };
  }
}
