package dev.berth.internal.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Run in a child JVM by DetachedContainerTest: starts a container, then the JVM dies at once
 * (halt, no clean-up), leaving the container to its monitor.
 * Arguments: helper, lower dir, container dir, then the command.
 */
public final class DetachedLaunchMain {
  private DetachedLaunchMain() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[2]);
    RuntimeSpec spec = RuntimeSpec.builder(
            new RuntimeSpec.Overlay(List.of(Path.of(args[1])), dir.resolve("upper"), dir.resolve("work")),
            List.of(args).subList(3, args.length).toArray(String[]::new))
        .env("PATH=/bin")
        .build();
    LaunchedContainer c = new HelperLauncher(Path.of(args[0]), Duration.ofSeconds(20)).launch(spec, dir);
    System.out.println("launched " + c.hostPid());
    Runtime.getRuntime().halt(0);
  }
}
