package dev.berth.internal.util;

/**
 * The library's {@link System.Logger} ({@code dev.berth}), made at the first message. Making one
 * starts the JDK's logging (a {@code LoggerFinder} lookup and {@code java.util.logging}'s
 * configuration): ~20 ms of a cold JVM, which a container start that logs nothing should not pay.
 */
public final class Log {
  private Log() {}

  private static final class Holder {
    static final System.Logger LOGGER = System.getLogger("dev.berth");
  }

  public static void warning(String message) {
    Holder.LOGGER.log(System.Logger.Level.WARNING, message);
  }

  public static void debug(String message) {
    Holder.LOGGER.log(System.Logger.Level.DEBUG, message);
  }
}
