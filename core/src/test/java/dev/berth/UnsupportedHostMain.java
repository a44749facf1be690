package dev.berth;

import java.nio.file.Path;

/**
 * Opens an engine the way an app does, in a JVM told it runs elsewhere ({@code -Dos.name},
 * {@code -Dos.arch}): prints the exception's type and message, or "opened".
 */
public final class UnsupportedHostMain {
  private UnsupportedHostMain() {}

  public static void main(String[] args) {
    try (Berth berth = args[0].equals("default") ? Berth.defaultEngine()
        : Berth.builder().home(Path.of(args[1])).build()) {
      System.out.println("opened " + berth);
    } catch (BerthException e) {
      System.out.println("refused: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
