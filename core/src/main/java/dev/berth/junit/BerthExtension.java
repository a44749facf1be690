package dev.berth.junit;

import dev.berth.Berth;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link BerthFixture}: starts the fixtures of a class before its
 * tests (static fields) or of a test before it (instance fields), in parallel, injects them into
 * {@link Started} fields and {@link RunningFixture} parameters, and removes them afterwards.
 * Registered by annotating a field with {@link BerthFixture}; {@code @ExtendWith} works too.
 */
public final class BerthExtension implements BeforeAllCallback, BeforeEachCallback,
    ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(BerthExtension.class);
  private static final String VISIBLE = "visible";
  private static final ExecutorService STARTERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "berth-fixture-start");
    t.setDaemon(true);
    return t;
  });

  /** Instantiated by JUnit. */
  public BerthExtension() {}

  /** A started fixture in a JUnit store: the store closes it when its scope ends. */
  private record Holder(RunningFixture fixture) implements AutoCloseable {
    @Override
    public void close() {
      fixture.close();
    }
  }

  /**
   * A fixture shared by the whole run: one per engine and definition, the engine named by its
   * home (local) or its Docker host (remote, which has no home).
   */
  private record SharedKey(Object engine, Fixture fixture) {}

  @Override
  public void beforeAll(ExtensionContext context) {
    Class<?> type = context.getRequiredTestClass();
    Map<String, RunningFixture> started = startAll(context, type, null,
        FixtureFields.fixtures(type, true));
    for (Field f : FixtureFields.startedFields(type, true)) {
      FixtureFields.write(f, null, pick(visible(context), name(f), FixtureFields.where(f)));
    }
    publish(context, started);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      Class<?> type = instance.getClass();
      publish(context, startAll(context, type, instance, FixtureFields.fixtures(type, false)));
    }
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Field f : FixtureFields.startedFields(instance.getClass(), false)) {
        FixtureFields.write(f, instance, pick(visible(context), name(f), FixtureFields.where(f)));
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RunningFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Started s = parameter.findAnnotation(Started.class).orElse(null);
    try {
      return pick(visible(context), s == null ? null : s.value(),
          "parameter " + parameter.getParameter().getName() + " of "
              + parameter.getDeclaringExecutable().getName());
    } catch (RuntimeException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
  }

  /** Starts every fixture of one scope at once; if one fails, the others are removed. */
  private Map<String, RunningFixture> startAll(ExtensionContext context, Class<?> type,
      Object instance, List<FixtureFields.Declared> declared) {
    if (declared.isEmpty()) {
      return Map.of();
    }
    Berth engine = FixtureFields.engine(context.getRequiredTestClass());
    Map<String, CompletableFuture<RunningFixture>> futures = new LinkedHashMap<>();
    for (FixtureFields.Declared d : declared) {
      Fixture fixture = d.value(instance);
      Supplier<RunningFixture> start = d.shared()
          ? () -> shared(context, engine, fixture)
          : () -> owned(context, engine, fixture);
      futures.put(d.name(), CompletableFuture.supplyAsync(start, STARTERS));
    }
    Map<String, RunningFixture> started = new LinkedHashMap<>();
    List<RuntimeException> failures = new ArrayList<>();
    futures.forEach((name, future) -> {
      try {
        started.put(name, future.join());
      } catch (CompletionException e) {
        failures.add(e.getCause() instanceof RuntimeException r ? r
            : new FixtureStartException("fixture " + name + " failed: " + e.getCause(),
                e.getCause()));
      }
    });
    if (!failures.isEmpty()) {
      // the successful ones are in the store already and are closed with it
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
    return started;
  }

  private static RunningFixture owned(ExtensionContext context, Berth engine, Fixture fixture) {
    RunningFixture running = fixture.start(engine);
    context.getStore(NS).put(new Object(), new Holder(running));
    return running;
  }

  private static RunningFixture shared(ExtensionContext context, Berth engine, Fixture fixture) {
    return context.getRoot().getStore(NS)
        .getOrComputeIfAbsent(new SharedKey(where(engine), fixture),
            k -> new Holder(fixture.start(engine)), Holder.class)
        .fixture();
  }

  private static Object where(Berth engine) {
    String name = engine.info().engine();
    return name.equals("local") ? engine.home() : name;
  }

  /** Makes {@code started} visible to this scope and the scopes below it. */
  private static void publish(ExtensionContext context, Map<String, RunningFixture> started) {
    Map<String, RunningFixture> all = new LinkedHashMap<>(visible(context));
    all.putAll(started);
    context.getStore(NS).put(VISIBLE, Map.copyOf(all));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, RunningFixture> visible(ExtensionContext context) {
    Map<String, RunningFixture> v = context.getStore(NS).get(VISIBLE, Map.class);
    return v == null ? Map.of() : v;
  }

  private static String name(Field f) {
    return f.getAnnotation(Started.class).value();
  }

  private static RunningFixture pick(Map<String, RunningFixture> visible, String name,
      String who) {
    if (name != null) {
      RunningFixture f = visible.get(name);
      if (f == null) {
        throw new IllegalStateException(who + " asks for fixture '" + name + "', but the"
            + " started fixtures are " + visible.keySet() + "; name a @BerthFixture field");
      }
      return f;
    }
    if (visible.size() != 1) {
      throw new IllegalStateException(who + " needs @Started(\"<field>\") to choose among the"
          + " started fixtures " + visible.keySet()
          + (visible.isEmpty() ? " (declare a @BerthFixture Fixture field)" : ""));
    }
    return visible.values().iterator().next();
  }
}
