package dev.berth.testsupport;

import dev.berth.Berth;
import dev.berth.Container;
import java.nio.file.Path;

/**
 * Child-JVM main: creates a container ({@link #options}) without starting it, prints its id,
 * and ends: args are home, registry mirror, name.
 */
public final class CreateOnlyMain {
  /** What the container is created with; the other JVM checks them after its start. */
  public static dev.berth.RunOptions options(String name) {
    return dev.berth.RunOptions.builder().name(name).detach(true)
        .env("MADE_IN", "another JVM").workingDir("/tmp").label("by", "child")
        .memory(48L << 20).pidsLimit(40).capDrop("NET_RAW").volume("/data")
        .command("sh", "-c", "echo $MADE_IN in $(pwd) >> /data/runs; cat /data/runs; sleep 30")
        .build();
  }

  public static void main(String[] args) {
    Berth berth = Berth.builder().home(Path.of(args[0])).registryMirror(args[1]).build();
    Container c = berth.create("busybox", options(args[2]));
    System.out.println("ID " + c.id());
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
