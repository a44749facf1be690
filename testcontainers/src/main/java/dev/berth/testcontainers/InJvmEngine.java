package dev.berth.testcontainers;

import dev.berth.Berth;
import dev.berth.BerthBuilder;
import dev.berth.dockerapi.DockerApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.List;
import org.testcontainers.utility.ResourceReaper;

/**
 * The one Berth engine and Docker API of this JVM that Testcontainers talks to: made on first
 * use, served on a socket in a private temp directory (0700), closed by a shutdown hook that
 * also removes the socket and its directory.
 *
 * <p>Configuration, system property first, then environment:
 * <ul>
 *   <li>{@code berth.home} / {@code BERTH_HOME}: the image store and containers (default: Berth's
 *       per-user home, as {@link Berth#defaultEngine()});
 *   <li>{@code berth.registryMirrors} / {@code BERTH_REGISTRY_MIRRORS}: docker.io mirrors;
 *   <li>{@code berth.insecureRegistries} / {@code BERTH_INSECURE_REGISTRIES}: plain-HTTP ones.
 * </ul>
 *
 * <p><b>Ryuk.</b> Testcontainers starts {@code testcontainers/ryuk} with the Docker socket mounted
 * to remove a session's containers when the JVM dies. Here the API itself lives in the test
 * JVM, so Berth does that job natively: every container created through this API is
 * {@link dev.berth.RunOptionsBuilder#removeWithJvm removeWithJvm}, so its monitor kills and
 * removes it when the JVM is gone, even after SIGKILL, with no extra container, image or port.
 * Ryuk itself must then not start: Testcontainers reads {@code TESTCONTAINERS_RYUK_DISABLED}
 * only from the environment, which a library cannot set, so {@link #reapWithJvmHook()} installs
 * Testcontainers' own non-Ryuk reaper (the one that variable selects) before Testcontainers asks
 * for one. Serving a fake Ryuk through the API instead would need a fake image, a fake port and
 * Ryuk's wire protocol in the Docker API server, and would break on each Ryuk version bump.
 */
final class InJvmEngine {
  private static final System.Logger LOG = System.getLogger("dev.berth.testcontainers");
  /** sun_path is 108 bytes with its terminating NUL. */
  private static final int MAX_SOCKET_PATH = 107;
  private static InJvmEngine instance;

  private final Berth berth;
  private final DockerApi api;
  private final Path dir;

  private InJvmEngine(Berth berth, DockerApi api, Path dir) {
    this.berth = berth;
    this.api = api;
    this.dir = dir;
  }

  /** Whether {@code berth.testcontainers} / {@code BERTH_TESTCONTAINERS} leave it on. */
  static boolean enabled() {
    String v = setting("berth.testcontainers", "BERTH_TESTCONTAINERS");
    return System.getProperty("os.name", "").startsWith("Linux")
        && (v == null || !(v.equalsIgnoreCase("false") || v.equals("0")
        || v.equalsIgnoreCase("off")));
  }

  /**
   * @return the engine of this JVM, started on first call
   * @throws dev.berth.BerthException when the engine or its socket cannot be made
   */
  static synchronized InJvmEngine get() {
    if (instance == null) {
      InJvmEngine started = start(); // its shutdown hook closes it should the next step fail
      reapWithJvmHook();
      instance = started;
    }
    return instance;
  }

  String dockerHost() {
    return api.dockerHost();
  }

  private static InJvmEngine start() {
    Berth berth = engine();
    Path dir;
    try {
      var owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
      dir = Files.createTempDirectory("berth-testcontainers-", owner);
      if (dir.resolve("docker.sock").toString().length() > MAX_SOCKET_PATH) {
        // a unix socket's path has room for 107 bytes; a deep java.io.tmpdir has not
        Files.delete(dir);
        dir = Files.createTempDirectory(Path.of("/tmp"), "berth-testcontainers-", owner);
      }
    } catch (IOException e) {
      berth.close();
      throw new UncheckedIOException("cannot make a directory for the Berth socket", e);
    }
    DockerApi api;
    try {
      api = DockerApi.builder(berth).socket(dir.resolve("docker.sock"))
          .removeContainersWithJvm(true).start();
    } catch (RuntimeException e) {
      berth.close();
      throw e;
    }
    InJvmEngine engine = new InJvmEngine(berth, api, dir);
    Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "berth-testcontainers-close"));
    LOG.log(System.Logger.Level.INFO, "Testcontainers runs on Berth (" + berth.home() + ") at "
        + api.dockerHost());
    return engine;
  }

  private static Berth engine() {
    String home = System.getProperty("berth.home");
    String mirrors = System.getProperty("berth.registryMirrors");
    String insecure = System.getProperty("berth.insecureRegistries");
    if (home == null && mirrors == null && insecure == null) {
      return Berth.defaultEngine();
    }
    BerthBuilder b = Berth.builder();
    if (home != null) {
      b.home(Path.of(home));
    }
    list(mirrors != null ? mirrors : System.getenv("BERTH_REGISTRY_MIRRORS"))
        .forEach(b::registryMirror);
    list(insecure != null ? insecure : System.getenv("BERTH_INSECURE_REGISTRIES"))
        .forEach(b::insecureRegistry);
    return b.build();
  }

  private static List<String> list(String value) {
    return value == null ? List.of()
        : Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
  }

  private static String setting(String property, String env) {
    String v = System.getProperty(property);
    return v != null ? v : System.getenv(env);
  }

  /**
   * Installs Testcontainers' JVM-hook reaper as its {@code ResourceReaper}, unless one is already
   * chosen (see the class comment for why Ryuk is not wanted here).
   *
   * @throws IllegalStateException when this Testcontainers has no such reaper, with the fix
   */
  private static void reapWithJvmHook() {
    synchronized (ResourceReaper.class) {
      try {
        Field instance = ResourceReaper.class.getDeclaredField("instance");
        instance.setAccessible(true);
        Object current = instance.get(null);
        if (current != null) {
          if (current.getClass().getSimpleName().startsWith("Ryuk")) {
            LOG.log(System.Logger.Level.WARNING, "Testcontainers chose Ryuk before Berth started:"
                + " set TESTCONTAINERS_RYUK_DISABLED=true");
          }
          return;
        }
        Constructor<?> hook = Class.forName("org.testcontainers.utility.JVMHookResourceReaper")
            .getDeclaredConstructor();
        hook.setAccessible(true);
        instance.set(null, hook.newInstance());
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalStateException("cannot keep Testcontainers from starting Ryuk, which"
            + " cannot run on Berth: set TESTCONTAINERS_RYUK_DISABLED=true (" + e + ")", e);
      }
    }
  }

  /**
   * Empties the reaper's list of label filters to prune once they are pruned: its own hook,
   * waiting on the same lock, would otherwise prune again through the API this hook closes
   * next, and print a "Connection reset" stack trace as the JVM exits.
   */
  private static void forgetPrunedLabels() throws ReflectiveOperationException {
    Field deathNote = ResourceReaper.class.getDeclaredField("DEATH_NOTE");
    deathNote.setAccessible(true);
    List<?> filters = (List<?>) deathNote.get(null);
    synchronized (filters) {
      filters.clear();
    }
  }

  @SuppressWarnings("deprecation")
  private void close() {
    // Shutdown hooks run concurrently: Testcontainers' own reaper hook removes the session's
    // containers and networks through this API, so it runs here first, before the API closes
    // (its cleanup is synchronized and idempotent). removeWithJvm covers what it misses.
    try {
      ResourceReaper.instance().performCleanup();
      forgetPrunedLabels();
    } catch (RuntimeException | ReflectiveOperationException e) {
      LOG.log(System.Logger.Level.DEBUG, "Testcontainers' cleanup failed", e);
    }
    api.close();
    berth.close();
    try {
      Files.deleteIfExists(dir.resolve("docker.sock"));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // the JVM is exiting; a leftover empty temp directory is harmless
    }
  }
}
