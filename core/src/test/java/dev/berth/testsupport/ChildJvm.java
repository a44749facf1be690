package dev.berth.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a main class of the test class path in a new JVM (a second user of a BERTH_HOME, another locale). */
public final class ChildJvm {
  private ChildJvm() {}

  public static Process start(Class<?> main, String... args) throws IOException {
    return builder(main, args).start();
  }

  /** Like {@link #start}, with options for the new JVM ({@code -Dos.name=...}, {@code -verbose:class}). */
  public static Process startWith(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
    return startWith(jvmOptions, java.util.Map.of(), main, args);
  }

  /**
   * Like {@link #startWith(List, Class, String...)}, with environment variables set (a value of
   * {@code null} removes the variable).
   */
  public static Process startWith(List<String> jvmOptions, java.util.Map<String, String> env,
      Class<?> main, String... args) throws IOException {
    ProcessBuilder builder = builder(main, args);
    builder.command().addAll(2, jvmOptions);
    env.forEach((k, v) -> {
      if (v == null) {
        builder.environment().remove(k);
      } else {
        builder.environment().put(k, v);
      }
    });
    return builder.start();
  }

  /**
   * Like {@link #start}, with libc's messages in German (LANGUAGE=de over the C.UTF-8 locale, which
   * needs no generated locale): strerror's text, and so the JDK's IOException messages, are
   * "Auf dem Gerät ist kein Speicherplatz mehr verfügbar" rather than "No space left on device".
   * Check {@link #hasGermanMessages} first.
   */
  public static Process startInGerman(Class<?> main, String... args) throws IOException {
    ProcessBuilder builder = builder(main, args);
    builder.environment().keySet().removeIf(k -> k.startsWith("LC_"));
    builder.environment().put("LANG", "C.UTF-8");
    builder.environment().put("LANGUAGE", "de");
    return builder.start();
  }

  /** Whether libc's German messages are installed (Debian's libc-l10n). */
  public static boolean hasGermanMessages() {
    return Files.exists(Path.of("/usr/share/locale/de/LC_MESSAGES/libc.mo"));
  }

  private static ProcessBuilder builder(Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", // as the tests' own JVM: no JNA warning on JDK 22+
        "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true);
  }
}
