package dev.berth.examples;

import dev.berth.Container;
import dev.berth.Containers;
import dev.berth.Image;

/** The tutorial's steps in Java: pull node, run it twice, list the containers. */
public final class Tutorial {
  private Tutorial() {}

  public static void main(String[] args) throws Exception {
    Image node = Image.pull("node");                        // berth pull node
    System.out.println(node);

    try (Container c = node.run("node", "--version")) {     // berth run --rm node node --version
      System.out.print(new String(c.getInputStream().readAllBytes()));
      System.out.println("exit code " + c.waitFor());
    }

    Container repl = node.run();                            // berth run node
    System.out.println("exit code " + repl.waitFor());      // 0: the REPL read end-of-file

    System.out.print(Containers.list(true));                // berth ps -a
  }
}
