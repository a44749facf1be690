package dev.berth.internal.engine;

import dev.berth.internal.security.Capabilities;
import dev.berth.internal.security.SeccompCompiler;
import dev.berth.internal.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What a fresh JVM's first container needs and a warm one has, done on a daemon thread as soon
 * as the first engine opens, so it overlaps the rest of the open and the caller's own work:
 * Jackson's classes (a third of a cold first container; every record is JSON), the helper's
 * extraction check, the default seccomp program. Whatever the caller reaches first it does
 * itself, or waits for in class initialisation; nothing is done twice, and a failure here is
 * left for the real call to report. Off with {@code -Dberth.warmup=false}.
 */
final class Warmup {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private Warmup() {}

  /** Starts the warm-up once per JVM. */
  static void start(Supplier<Path> helper) {
    if (!Boolean.parseBoolean(System.getProperty("berth.warmup", "true"))
        || !STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        Store.warmUp();
        helper.get();
        SeccompCompiler.compileBuiltIn(Capabilities.DOCKER_DEFAULT);
      } catch (IOException | RuntimeException | LinkageError e) {
        // the call that needs it reports it
      }
    }, "berth-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.NORM_PRIORITY - 1);
    t.start();
  }
}
