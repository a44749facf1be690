package dev.berth.cli;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Fills a verb's {@link Option} and {@link Parameters} fields from a command line without
 * picocli, for the command lines typed most ({@code berth run --rm -it --name x node node -v}).
 * picocli's model of one verb (its converters, help sections and every option's spec) costs a
 * cold JVM ~90 ms, a third of a {@code berth run --rm}; reading the fields' annotations costs a
 * few. The annotations stay the one description of each verb.
 *
 * <p>It reads a subset and says so: options as {@code --name value}, {@code --name=value} or
 * {@code -n value}, bundles of one-letter flags ({@code -it}), positionals for {@code index = "0"}
 * (or unindexed) and for a list of the rest, of types {@code boolean}, {@code String}, {@code List<String>},
 * integers and enums. Anything else, such as {@code --help}, an unknown or repeated option, a value
 * that starts with {@code -} or {@code --}, or a field it does not know, makes
 * {@link #parse} return false, and picocli parses the line, giving its errors and help.
 * {@code QuickArgsTest} checks that both fill the same fields.
 */
final class QuickArgs {
  /** What {@code defaultValue} is when a field does not set it. */
  private static final Object NO_DEFAULT = noDefault();

  private final Object command;
  private final Map<String, Field> options = new HashMap<>();
  private final Set<Field> seen = new HashSet<>();
  private Field first;
  private Field rest;
  private boolean restAfterFirst;
  private boolean restNeedsOne;

  private QuickArgs(Object command) {
    this.command = command;
  }

  /**
   * @param command a new instance of the verb's class
   * @param args the command line after the verb
   * @param stopAtPositional whether everything after the first positional is positional (run, exec)
   * @return true when {@code command}'s fields now hold {@code args}; false when picocli must
   *     parse them (the fields may then be partly set: use a new instance)
   */
  static boolean parse(Object command, List<String> args, boolean stopAtPositional) {
    QuickArgs q = new QuickArgs(command);
    try {
      return q.model() && q.fill(args, stopAtPositional);
    } catch (IllegalAccessException | RuntimeException e) {
      return false; // a value picocli converts or refuses its own way: let it
    }
  }

  private static Object noDefault() {
    try {
      return Option.class.getMethod("defaultValue").getDefaultValue();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return whether every annotated field is of a kind this parser fills */
  private boolean model() {
    for (Field f : command.getClass().getDeclaredFields()) {
      f.setAccessible(true);
      for (Annotation a : f.getDeclaredAnnotations()) {
        if (a instanceof Option o) {
          if (!o.arity().isEmpty() || !o.split().isEmpty() || o.required() || o.converter().length > 0
              || o.negatable() || !o.fallbackValue().isEmpty() || !NO_DEFAULT.equals(o.defaultValue())
              || !supported(f)) {
            return false;
          }
          for (String name : o.names()) {
            options.put(name, f);
          }
        } else if (a instanceof Parameters p) {
          if (!p.split().isEmpty() || p.converter().length > 0
              || !NO_DEFAULT.equals(p.defaultValue())) {
            return false;
          }
          boolean all = p.index().isEmpty();
          if (f.getType() == String.class && (all || p.index().equals("0")) && p.arity().isEmpty()
              && first == null) {
            first = f;
          } else if (f.getType() == List.class && (all || p.index().equals("1..*")) && rest == null
              && (p.arity().isEmpty() || p.arity().equals("1..*"))) {
            rest = f;
            restAfterFirst = !all;
            restNeedsOne = !p.arity().isEmpty();
          } else {
            return false;
          }
        } else if (!(a instanceof Mixin) || f.getType() != HelpOption.class) {
          return false; // a spec, a parent command, an argument group: picocli's
        }
      }
    }
    return !restAfterFirst || first != null;
  }

  private static boolean supported(Field f) {
    Class<?> t = f.getType();
    return t == boolean.class || t == String.class || t == Long.class || t == Integer.class
        || t == long.class || t == int.class || t.isEnum()
        || t == List.class && f.getGenericType() instanceof ParameterizedType pt
            && pt.getActualTypeArguments()[0] == String.class;
  }

  private boolean fill(List<String> args, boolean stopAtPositional) throws IllegalAccessException {
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (stopAtPositional && !positional.isEmpty() || !arg.startsWith("-") || arg.equals("-")) {
        positional.add(arg);
        continue;
      }
      // --name=value; a value glued to a short option (-eA=1) is picocli's
      int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
      Field f = options.get(eq < 0 ? arg : arg.substring(0, eq));
      if (f == null) {
        if (arg.startsWith("--") || !flags(arg)) {
          return false;
        }
      } else if (f.getType() == boolean.class) {
        if (eq >= 0 || !flag(f)) {
          return false;
        }
      } else if (eq >= 0 ? !value(f, arg.substring(eq + 1))
          : ++i >= args.size() || !value(f, args.get(i))) {
        return false;
      }
    }
    return positionals(positional);
  }

  /** A bundle of one-letter flags, {@code -it}. */
  private boolean flags(String arg) throws IllegalAccessException {
    for (int c = 1; c < arg.length(); c++) {
      Field f = options.get("-" + arg.charAt(c));
      if (f == null || f.getType() != boolean.class || !flag(f)) {
        return false;
      }
    }
    return true;
  }

  private boolean flag(Field f) throws IllegalAccessException {
    if (!seen.add(f)) {
      return false; // picocli refuses a repeated option
    }
    f.setBoolean(command, true);
    return true;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private boolean value(Field f, String value) throws IllegalAccessException {
    if (value.startsWith("-")) {
      return false; // an option where a value should be, or a negative number: picocli decides
    }
    Class<?> t = f.getType();
    if (t == List.class) {
      List<String> list = (List<String>) f.get(command);
      if (seen.add(f)) {
        list = new ArrayList<>(); // the first use replaces the field's initial list
        f.set(command, list);
      }
      list.add(value);
      return true;
    }
    if (!seen.add(f)) {
      return false;
    }
    if (t == String.class) {
      f.set(command, value);
    } else if (t.isEnum()) {
      f.set(command, Enum.valueOf((Class<? extends Enum>) t, value));
    } else if (!value.matches("[0-9]{1,18}")) {
      return false;
    } else if (t == Long.class || t == long.class) {
      f.set(command, Long.parseLong(value));
    } else {
      f.set(command, Integer.parseInt(value));
    }
    return true;
  }

  private boolean positionals(List<String> positional) throws IllegalAccessException {
    if (first != null) {
      if (positional.isEmpty()) {
        return false; // picocli says what is missing
      }
      first.set(command, positional.remove(0));
    }
    if (rest == null) {
      return positional.isEmpty();
    }
    if (positional.isEmpty()) {
      // "1..*" must have one; an unindexed list without arity is picocli's to judge
      return restAfterFirst && !restNeedsOne;
    }
    rest.set(command, new ArrayList<>(positional));
    return true;
  }
}
