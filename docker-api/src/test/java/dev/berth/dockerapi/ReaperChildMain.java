package dev.berth.dockerapi;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.RunOptions;

/**
 * A JVM for the reaper test: through the remote engine at args[0], starts a {@code removeWithJvm}
 * container and one without, from image args[1], prints "owned ID" and "kept ID", then waits to
 * be killed; with args[2] "exit", exits instead (its shutdown hook runs).
 */
public final class ReaperChildMain {
  private ReaperChildMain() {}

  public static void main(String[] args) throws Exception {
    Berth berth = Berth.builder().dockerHost(args[0]).build();
    Container owned = berth.run(args[1], RunOptions.builder().command("sleep", "300")
        .detach(true).removeWithJvm(true).build());
    Container kept = berth.run(args[1], RunOptions.builder().command("sleep", "300")
        .detach(true).build());
    System.out.println("owned " + owned.id());
    System.out.println("kept " + kept.id());
    System.out.flush();
    if (args.length > 2 && args[2].equals("exit")) {
      System.exit(0);
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
