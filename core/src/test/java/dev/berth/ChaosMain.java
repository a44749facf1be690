package dev.berth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A JVM that does random pulls, runs, detached runs, runs with a volume, lists and removes on
 * several threads, for {@link KilledJvmsChaosTest}, until a line or the end of its stdin tells
 * it to stop; then it exits normally. Arguments: BERTH_HOME, docker.io mirror, engine ({@code
 * closed}: a built engine, closed at the end; {@code default}: {@link Berth#defaultEngine()} from
 * BERTH_HOME and BERTH_REGISTRY_MIRRORS, never closed, as many programs use it), threads.
 * Prints {@code READY} once its engine is open and {@code ID <id>} for each container it made.
 */
public final class ChaosMain {
  private static final int MAX_RUNNING = 6;

  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    boolean closed = args[2].equals("closed");
    Berth berth = closed
        ? Berth.builder().home(Path.of(args[0])).registryMirror(args[1]).build()
        : Berth.defaultEngine();
    say("READY");
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < Integer.parseInt(args[3]); i++) {
      Thread t = new Thread(() -> {
        while (!stop.get()) {
          try {
            step(berth);
          } catch (RuntimeException e) {
            // another JVM removed what this one listed, or was killed mid-way: go on
            System.err.println("op failed: " + e);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "chaos-" + i);
      t.start();
      workers.add(t);
    }
    try {
      System.in.read(); // any line stops it, the end of stdin too
    } catch (IOException e) {
      // stop
    }
    stop.set(true);
    for (Thread t : workers) {
      t.join();
    }
    if (closed) {
      berth.close();
    }
    say("BYE");
  }

  private static void step(Berth berth) throws InterruptedException {
    int op = ThreadLocalRandom.current().nextInt(100);
    if (op < 15) {
      berth.pull("busybox");
    } else if (op < 35) {
      RunOptionsBuilder b = RunOptions.builder().command("true");
      boolean rm = ThreadLocalRandom.current().nextBoolean();
      Container c = berth.pull("busybox").run(b.autoRemove(rm).build());
      say("ID " + c.id());
      c.waitFor();
      if (!rm) {
        c.remove(false);
      }
    } else if (op < 50) {
      if (berth.containers(false).size() < MAX_RUNNING) {
        Container c = berth.pull("busybox").run(RunOptions.builder().command("sleep", "600")
            .detach(true).build());
        say("ID " + c.id());
      }
    } else if (op < 70) {
      // The volumes lock serialises these creates across the JVMs: many wait before their record.
      Container c = berth.pull("busybox").run(RunOptions.builder().command("true")
          .volume("chaos", "/data").build());
      say("ID " + c.id());
      c.waitFor();
      c.remove(false);
    } else if (op < 80) {
      berth.containers(true);
    } else {
      List<ContainerInfo> all = berth.containers(true);
      if (!all.isEmpty()) {
        berth.container(all.get(ThreadLocalRandom.current().nextInt(all.size())).id()).remove(true);
      }
    }
  }

  private static void say(String line) {
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }
}
