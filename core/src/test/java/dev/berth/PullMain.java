package dev.berth;

import java.nio.file.Path;

/**
 * A JVM that pulls one image and prints each progress event on its own line, for the tests that
 * kill a pulling JVM or run two at once. Arguments: BERTH_HOME, docker.io mirror, reference.
 * Exits 0 after printing {@code PULLED <id>}.
 */
public final class PullMain {
  private PullMain() {}

  public static void main(String[] args) {
    try (Berth berth = Berth.builder().home(Path.of(args[0])).registryMirror(args[1]).build()) {
      Image image = berth.pull(args[2], p -> {
        synchronized (System.out) {
          System.out.println(p.status() + " " + p);
          System.out.flush();
        }
      });
      System.out.println("PULLED " + image.id());
    }
  }
}
