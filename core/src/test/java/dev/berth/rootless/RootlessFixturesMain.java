package dev.berth.rootless;

import dev.berth.testsupport.FixtureEngines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Run by {@link RootlessFixturesTest} in a child JVM as an unprivileged user: runs the fixture
 * test classes named in its arguments with the JUnit Platform launcher, their engine on the given
 * registry and home, and prints each outcome as {@code test.<Class>#<method>} (or {@code
 * class.<Class>} for a class that failed or was skipped as a whole) with {@code SUCCESSFUL},
 * {@code ABORTED <reason>}, {@code SKIPPED <reason>} or {@code FAILED <stack trace>}.
 * First it prints {@code info.userNamespace}, how the engine maps ids. Arguments: registry
 * host:port, BERTH_HOME, test class names.
 */
public final class RootlessFixturesMain {
  private RootlessFixturesMain() {}

  public static void main(String[] args) {
    System.setProperty(FixtureEngines.REGISTRY_PROPERTY, args[0]);
    System.setProperty(FixtureEngines.HOME_PROPERTY, args[1]);
    RootlessScenarioMain.say("info.userNamespace", FixtureEngines.with().info().userNamespace().name());
    var request = LauncherDiscoveryRequestBuilder.request()
        .selectors(Arrays.stream(args, 2, args.length).map(DiscoverySelectors::selectClass).toList())
        .build();
    LauncherFactory.create().execute(request, new Reporter());
    System.out.flush();
    System.exit(0); // the outcome is what was printed; no engine thread keeps this JVM up
  }

  private static final class Reporter implements TestExecutionListener {
    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
      key(id, true).ifPresent(k -> RootlessScenarioMain.say(k, "SKIPPED " + reason));
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      key(id, result.getStatus() != TestExecutionResult.Status.SUCCESSFUL).ifPresent(k ->
          RootlessScenarioMain.say(k, switch (result.getStatus()) {
            case SUCCESSFUL -> "SUCCESSFUL";
            case ABORTED -> "ABORTED " + result.getThrowable().map(Throwable::getMessage).orElse("");
            case FAILED -> "FAILED " + result.getThrowable().map(RootlessFixturesMain::stackTrace).orElse("");
          }));
    }

    /** Tests by method; classes only when {@code andClasses} (they failed or were skipped). */
    private static java.util.Optional<String> key(TestIdentifier id, boolean andClasses) {
      return id.getSource().map(source -> {
        if (id.isTest() && source instanceof MethodSource m) {
          return "test." + m.getClassName() + "#" + m.getMethodName();
        }
        return andClasses && source instanceof ClassSource c ? "class." + c.getClassName() : null;
      });
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
