package dev.berth;

import java.nio.file.Path;

/**
 * A JVM that pulls busybox, prints {@code PULLED}, then runs a detached container named
 * {@code halfway} with the named volume {@code held}: while a test holds the home's volumes
 * lock, its create waits there, its directory and name made and its record not yet written.
 * Prints {@code ID <id>} once it started and halts without cleanup. Args: home, registry mirror.
 */
public final class BlockedCreateMain {
  private BlockedCreateMain() {}

  public static void main(String[] args) {
    Berth berth = Berth.builder().home(Path.of(args[0])).registryMirror(args[1]).build();
    Image busybox = berth.pull("busybox");
    System.out.println("PULLED");
    System.out.flush();
    Container c = busybox.run(RunOptions.builder().command("sleep", "30").name("halfway")
        .volume("held", "/data").detach(true).build());
    System.out.println("ID " + c.id());
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
