package dev.berth.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A test (or class) that shows what only the local engine does, or what the named remote
 * backends do differently: disabled, with {@link #value()} as the reason surefire reports, when
 * the tests run through a remote engine ({@code berth.dockerHost} or {@code BERTH_DOCKER_HOST},
 * as {@code docker-api}'s {@code remote-berth} and {@code remote-podman} executions run them).
 * The README's "What differs" table lists the same reasons.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RemoteDiffers.Condition.class)
public @interface RemoteDiffers {
  /** System property: which engine serves the remote run ({@code berth} or {@code podman}). */
  String BACKEND_PROPERTY = "berth.remote.backend";

  /** Builds an image: only the local engine builds. */
  String BUILDS = "builds an image (ImageBuilder); a remote engine does not build (docker build"
      + " against the engine)";
  /** Looks into the local engine's home. */
  String LOCAL_HOME = "reads or writes the local BERTH_HOME (state files, monitors, volume"
      + " directories); a remote engine's are on its host";
  /** Expects a store of its own. */
  String SHARED_STORE = "expects a fresh home's empty store; a remote engine is one store that"
      + " every test shares";
  /** Expects the local engine's wording of a refusal. */
  String ENGINE_WORDS = "expects the local engine's wording; a remote engine's refusal carries"
      + " the engine's own message (the exception type is the same)";
  /** Resolves container names on a user-defined network. */
  String NO_DNS = "podman's CNI networks on this machine have no DNS plugin: containers do not"
      + " resolve each other's names or aliases";
  /** Listens to a pull. */
  String PULL_PROGRESS = "PullListener hears nothing from a remote engine's pull yet";

  /** @return why the test cannot pass through a remote engine (or the backends named) */
  String value();

  /** @return the backends it differs on ({@code berth}, {@code podman}); empty: every one */
  String[] on() default {};

  /** Disables the test when the engine is remote and its backend is one of {@link #on()}. */
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      Optional<RemoteDiffers> differs = AnnotationSupport.findAnnotation(context.getElement(),
          RemoteDiffers.class);
      if (differs.isEmpty() || !remote()) {
        return ConditionEvaluationResult.enabled("the engine is local");
      }
      String backend = System.getProperty(BACKEND_PROPERTY, "");
      String[] on = differs.get().on();
      if (on.length > 0 && !Arrays.asList(on).contains(backend)) {
        return ConditionEvaluationResult.enabled("the same on " + backend);
      }
      return ConditionEvaluationResult.disabled("remote engine" + (backend.isEmpty() ? ""
          : " (" + backend + ")") + ": " + differs.get().value());
    }

    /** @return whether engines built without a Docker host are remote ones in this JVM */
    public static boolean remote() {
      String p = System.getProperty("berth.dockerHost");
      String e = System.getenv("BERTH_DOCKER_HOST");
      return (p != null && !p.isBlank()) || (e != null && !e.isBlank());
    }
  }

}
