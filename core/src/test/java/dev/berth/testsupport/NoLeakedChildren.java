package dev.berth.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a child process of the JVM running. Runs after the class's own
 * {@code @AfterEach} methods; children alive before the test (shared registries that other
 * test classes started) are not counted.
 */
public final class NoLeakedChildren implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(NoLeakedChildren.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("baseline", ChildProcesses.baseline());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ChildProcesses baseline = context.getStore(NS).get("baseline", ChildProcesses.class);
    assertThat(baseline.added()).as("child processes left by the test").isEmpty();
  }
}
