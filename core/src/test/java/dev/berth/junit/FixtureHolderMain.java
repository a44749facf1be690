package dev.berth.junit;

import dev.berth.Berth;
import java.nio.file.Path;

/**
 * A test JVM that starts a busybox fixture, says {@code started <id>} and waits to be killed.
 * Arguments: engine home, registry mirror, and {@code reuse} or {@code owned}.
 */
public final class FixtureHolderMain {
  private FixtureHolderMain() {}

  public static void main(String[] args) throws Exception {
    Berth engine = Berth.builder().home(Path.of(args[0])).registryMirror(args[1]).build();
    Fixture f = Fixture.builder("busybox").command("sh", "-c", "echo up; sleep 600")
        .waitingFor(Wait.forLogMessage("up", 1)).reuse(args[2].equals("reuse")).build();
    RunningFixture running = f.start(engine);
    System.out.println("started " + running.container().id());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
