package dev.berth;

import dev.berth.internal.build.BuildSession;
import dev.berth.internal.build.BuildSettings;
import dev.berth.internal.build.BuildState;
import dev.berth.internal.build.Step;
import dev.berth.internal.build.StepFactory;
import dev.berth.internal.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What an {@link ImageBuilder} holds, and how it is built: the base (null for scratch), the
 * steps in order (each made by the step factory of the image so far, which tracks its workdir),
 * and the build settings. Immutable; {@link #finish} runs it in a build session.
 */
record BuildRecipe(String base, List<Function<StepFactory, List<Step>>> steps,
    java.time.Instant created, boolean hostNetwork, boolean noCache, BuildListener listener) {

  BuildRecipe {
    steps = List.copyOf(steps);
  }

  /** @return a recipe on {@code base} (null: scratch) with no steps and the default settings */
  static BuildRecipe of(String base) {
    return new BuildRecipe(base, List.of(), ImageBuilder.DEFAULT_TIME, true, false,
        BuildListener.NONE);
  }

  BuildRecipe with(Function<StepFactory, List<Step>> step) {
    List<Function<StepFactory, List<Step>>> more = new ArrayList<>(steps);
    more.add(step);
    return new BuildRecipe(base, more, created, hostNetwork, noCache, listener);
  }

  BuildRecipe created(java.time.Instant created) {
    return new BuildRecipe(base, steps, created, hostNetwork, noCache, listener);
  }

  BuildRecipe hostNetwork(boolean hostNetwork) {
    return new BuildRecipe(base, steps, created, hostNetwork, noCache, listener);
  }

  BuildRecipe noCache(boolean noCache) {
    return new BuildRecipe(base, steps, created, hostNetwork, noCache, listener);
  }

  BuildRecipe listener(BuildListener listener) {
    return new BuildRecipe(base, steps, created, hostNetwork, noCache, listener);
  }

  /** Builds the base and every step in a new session of {@code engine}; the finished state. */
  BuildState finish(Engine engine) {
    BuildSession session = new BuildSession(engine, new BuildSettings(created, created, null,
        hostNetwork, noCache, listener));
    BuildState state = base == null ? session.scratch() : session.base(base);
    StepFactory factory = new StepFactory(session);
    factory.after(state);
    for (var step : steps) {
      for (var s : step.apply(factory)) {
        state = session.apply(state, s);
        factory.after(state);
      }
    }
    return session.finish(state);
  }
}
