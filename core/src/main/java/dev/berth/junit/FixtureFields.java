package dev.berth.junit;

import dev.berth.Berth;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The annotated fields of a test class and its superclasses, checked for the right shape. */
final class FixtureFields {
  private FixtureFields() {}

  /** A {@link BerthFixture} field: its name is what {@link Started} refers to. */
  record Declared(Field field, boolean shared) {
    String name() {
      return field.getName();
    }

    Fixture value(Object instance) {
      Object v = read(field, instance);
      if (v == null) {
        throw new ExtensionConfigurationException("@BerthFixture field " + where(field)
            + " is null: assign it a Fixture, e.g. Fixture.builder(\"redis\").build()");
      }
      return (Fixture) v;
    }
  }

  /** The {@link BerthFixture} fields that are static ({@code wantStatic}) or not. */
  static List<Declared> fixtures(Class<?> type, boolean wantStatic) {
    List<Declared> out = new ArrayList<>();
    for (Field f : fields(type, BerthFixture.class, wantStatic)) {
      if (f.getType() != Fixture.class) {
        throw new ExtensionConfigurationException("@BerthFixture field " + where(f) + " is a "
            + f.getType().getSimpleName() + ": declare it as a Fixture (the definition); the"
            + " started container comes as a @Started RunningFixture parameter or field");
      }
      boolean shared = f.getAnnotation(BerthFixture.class).shared();
      if (shared && !wantStatic) {
        throw new ExtensionConfigurationException("@BerthFixture(shared = true) field "
            + where(f) + " is not static: a fixture shared by the whole run must be static");
      }
      out.add(new Declared(f, shared));
    }
    return out;
  }

  /** The {@link Started} fields that are static or not. */
  static List<Field> startedFields(Class<?> type, boolean wantStatic) {
    List<Field> out = fields(type, Started.class, wantStatic);
    for (Field f : out) {
      if (f.getType() != RunningFixture.class || Modifier.isFinal(f.getModifiers())) {
        throw new ExtensionConfigurationException("@Started field " + where(f) + " must be a"
            + " non-final RunningFixture field, for the extension to set it");
      }
    }
    return out;
  }

  /** The engine from a static {@link FixtureEngine} field, or the default engine. */
  static Berth engine(Class<?> type) {
    List<Field> found = fields(type, FixtureEngine.class, true);
    if (found.isEmpty()) {
      return Berth.defaultEngine();
    }
    Field f = found.get(0);
    if (f.getType() != Berth.class || read(f, null) == null) {
      throw new ExtensionConfigurationException("@FixtureEngine field " + where(f)
          + " must be a static, non-null Berth");
    }
    return (Berth) read(f, null);
  }

  static void write(Field f, Object instance, Object value) {
    try {
      f.setAccessible(true);
      f.set(instance, value);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExtensionConfigurationException("cannot set " + where(f) + ": " + e, e);
    }
  }

  private static Object read(Field f, Object instance) {
    try {
      f.setAccessible(true);
      return f.get(instance);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExtensionConfigurationException("cannot read " + where(f) + ": " + e, e);
    }
  }

  private static List<Field> fields(Class<?> type, Class<? extends java.lang.annotation.Annotation>
      annotation, boolean wantStatic) {
    List<Field> out = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.isAnnotationPresent(annotation)
            && Modifier.isStatic(f.getModifiers()) == wantStatic) {
          out.add(f);
        }
      }
    }
    return out;
  }

  static String where(Field f) {
    return f.getDeclaringClass().getSimpleName() + "." + f.getName();
  }
}
