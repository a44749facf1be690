package dev.berth.testsupport;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.RunOptions;
import java.nio.file.Path;

/**
 * Child-JVM main: starts a detached busybox container that prints a line every 50 ms, prints
 * its id, and halts without cleanup. Args: home, registry mirror, container name.
 */
public final class DetachedStarter {
  public static void main(String[] args) {
    Berth berth = Berth.builder().home(Path.of(args[0])).registryMirror(args[1]).build();
    Container c = berth.pull("busybox").run(RunOptions.builder()
        .command("sh", "-c", "trap 'echo bye; exit 3' TERM; i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.05; done")
        .name(args[2]).detach(true).build());
    System.out.println("ID " + c.id());
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
