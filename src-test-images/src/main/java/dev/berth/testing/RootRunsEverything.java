package dev.berth.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Fails, rather than skips, a test that aborts on an assumption while the suite runs as root,
 * unless the reason is a {@link MachineLacks}. As root the suite installs what it needs, so a
 * skip there means a missing install step or a broken probe, which a green run would hide: the
 * class of failure that once let a stale image cache pass CI.
 *
 * <p>Registered for every test of every module through JUnit's extension auto-detection
 * ({@code META-INF/services} in this jar, {@code junit.jupiter.extensions.autodetection.enabled}
 * in the build). As any other user, skips stay skips.
 */
public final class RootRunsEverything
    implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  private static final boolean ROOT = isRoot();

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    throw judge(context, thrown);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    throw judge(context, thrown);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    throw judge(context, thrown);
  }

  /** The throwable to report: {@code thrown}, or a failure for a root skip that is not allowed. */
  static Throwable judge(ExtensionContext context, Throwable thrown) {
    return judge(ROOT, context.getDisplayName(), thrown);
  }

  static Throwable judge(boolean root, String test, Throwable thrown) {
    if (!root || !(thrown instanceof TestAbortedException) || thrown instanceof MachineLacks) {
      return thrown;
    }
    AssertionError failure = new AssertionError("'" + test + "' skipped while the suite runs as"
        + " root: " + thrown.getMessage() + ". As root every test must run: install what it"
        + " needs (scripts/lib/deps.sh), or, if this machine cannot show it, skip with"
        + " MachineLacks.assume(...)");
    failure.initCause(thrown);
    return failure;
  }

  /** Whether this JVM runs as root (uid 0), as the rule judges it. */
  static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
