package dev.berth;

import java.nio.file.Path;

/**
 * A test JVM that runs two containers (the second starts the engine's spare helper), says
 * {@code spare <pid>} once the spare is up, and waits to be killed. Arguments: engine home,
 * registry mirror.
 */
public final class SpareHolderMain {
  private SpareHolderMain() {}

  public static void main(String[] args) throws Exception {
    Berth engine = Berth.builder().home(Path.of(args[0])).registryMirror(args[1]).build();
    Image image = engine.pull("busybox");
    for (int i = 0; i < 2; i++) { // the second run starts the spare
      try (Container c = image.run("true")) {
        c.waitFor();
      }
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      var spare = ContainerSpareTest.spares(ProcessHandle.current()).findFirst();
      if (spare.isPresent()) {
        Thread.sleep(300); // its zygote joins the cgroups meanwhile
        System.out.println("spare " + spare.get().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
      Thread.sleep(20);
    }
    System.out.println("no spare");
  }
}
