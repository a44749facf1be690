package dev.berth.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Fills a verb's {@link Option} and {@link Parameters} fields from a command line without
 * picocli, for the command lines typed most ({@code berth run --rm -it --name x node node -v}).
 * picocli's model of one verb (its converters, help sections and every option's spec) costs a
 * cold JVM ~90 ms, a third of a {@code berth run --rm}. The annotations stay the one description
 * of each verb: the build reads them into a table ({@link #TABLE}, {@link #main}), so that a
 * command reads no annotation at all; {@code QuickArgsTest} checks the table against them.
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
  /**
   * The verbs' models, written at build time by {@link #main} next to this class: reading the
   * annotations is the JVM's first annotation read, ~50 ms of a cold {@code berth run} (its
   * parser and a proxy class per annotation type). A verb the table lacks is read by reflection.
   */
  static final String TABLE = "quick-args.tsv";

  private final Object command;
  private final Map<String, Slot> options = new HashMap<>();
  private final Set<Slot> seen = new HashSet<>();
  private final Slot first;
  private final Slot rest;
  private final Model model;

  private QuickArgs(Object command, Model model) throws ReflectiveOperationException {
    this.command = command;
    this.model = model;
    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(command.getClass(), MethodHandles.lookup());
    for (Map.Entry<String, String> o : model.options().entrySet()) {
      options.put(o.getKey(), new Slot(lookup, o.getValue()));
    }
    first = model.first() == null ? null : new Slot(lookup, model.first());
    rest = model.rest() == null ? null : new Slot(lookup, model.rest());
  }

  /**
   * A field of the verb, written through a {@link VarHandle} with the erased types of its
   * shape ({@code (Object, boolean)}, {@code (Object, Object)}…), which the JDK links to a
   * ready-made guard: {@code Field.set} on JDK 22+ spins method-handle classes for each
   * field shape at first use (~10 ms of a cold command).
   */
  private static final class Slot {
    final VarHandle handle;
    final Class<?> type;

    Slot(MethodHandles.Lookup lookup, String name) throws ReflectiveOperationException {
      Field f = lookup.lookupClass().getDeclaredField(name);
      handle = lookup.unreflectVarHandle(f);
      type = f.getType();
    }
  }

  /**
   * @param command a new instance of the verb's class
   * @param args the command line after the verb
   * @param stopAtPositional whether everything after the first positional is positional (run, exec)
   * @return true when {@code command}'s fields now hold {@code args}; false when picocli must
   *     parse them (the fields may then be partly set: use a new instance)
   */
  static boolean parse(Object command, List<String> args, boolean stopAtPositional) {
    try {
      Model model = Model.of(command.getClass());
      return model != null && new QuickArgs(command, model).fill(args, stopAtPositional);
    } catch (IOException | ReflectiveOperationException | RuntimeException e) {
      return false; // a value picocli converts or refuses its own way (or no model): let it
    }
  }

  /** Writes the table of every verb's model: {@code QuickArgs FILE}, at build time. */
  public static void main(String[] args) throws IOException, NoSuchMethodException {
    StringBuilder table = new StringBuilder(
        "# QuickArgs' model of each verb, made from its annotations at build time\n");
    for (Class<?> verb : BerthCli.VERBS.values()) {
      table.append(verb.getName()).append('\t').append(Model.line(Model.reflect(verb))).append('\n');
    }
    Files.writeString(Path.of(args[0]), table);
  }

  /**
   * What QuickArgs reads of a verb's annotations.
   *
   * @param options the field of each option name ({@code -i}, {@code --interactive})
   * @param first the field of positional 0, or null
   * @param rest the field that takes the positionals (after {@code first} when
   *     {@code restAfterFirst}), or null
   * @param restNeedsOne whether {@code rest} must have one
   */
  record Model(Map<String, String> options, String first, String rest, boolean restAfterFirst,
      boolean restNeedsOne) {
    private static final String PICOCLI = "picocli";

    Model {
      options = Map.copyOf(options);
    }

    /**
     * @return the verb's model from the build's table, or from its annotations when the table
     *     does not name it; null when picocli must parse its lines
     */
    static Model of(Class<?> verb) throws IOException, NoSuchMethodException {
      InputStream in = QuickArgs.class.getResourceAsStream(TABLE);
      if (in != null) {
        String prefix = verb.getName() + '\t';
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.startsWith(prefix)) {
              return parse(line.substring(prefix.length()));
            }
          }
        }
      }
      return reflect(verb);
    }

    /** @return the model of the verb's annotations, or null when a field is not one QuickArgs fills */
    static Model reflect(Class<?> verb) throws NoSuchMethodException {
      // what defaultValue is when a field does not set it
      Object noDefault = Option.class.getMethod("defaultValue").getDefaultValue();
      Map<String, String> options = new HashMap<>();
      Field first = null;
      Field rest = null;
      boolean restAfterFirst = false;
      boolean restNeedsOne = false;
      for (Field f : verb.getDeclaredFields()) {
        for (Annotation a : f.getDeclaredAnnotations()) {
          if (a instanceof Option o) {
            if (!o.arity().isEmpty() || !o.split().isEmpty() || o.required()
                || o.converter().length > 0 || o.negatable() || !o.fallbackValue().isEmpty()
                || !noDefault.equals(o.defaultValue()) || !supported(f)) {
              return null;
            }
            for (String name : o.names()) {
              options.put(name, f.getName());
            }
          } else if (a instanceof Parameters p) {
            if (!p.split().isEmpty() || p.converter().length > 0
                || !noDefault.equals(p.defaultValue())) {
              return null;
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
              return null;
            }
          } else if (!(a instanceof Mixin) || f.getType() != HelpOption.class) {
            return null; // a spec, a parent command, an argument group: picocli's
          }
        }
      }
      return restAfterFirst && first == null ? null : new Model(options,
          first == null ? null : first.getName(), rest == null ? null : rest.getName(),
          restAfterFirst, restNeedsOne);
    }

    private static boolean supported(Field f) {
      Class<?> t = f.getType();
      return t == boolean.class || t == String.class || t == Long.class || t == Integer.class
          || t == long.class || t == int.class || t.isEnum()
          || t == List.class && f.getGenericType() instanceof ParameterizedType pt
              && pt.getActualTypeArguments()[0] == String.class;
    }

    /** @return the model as one line of the table: tab-separated words */
    static String line(Model model) {
      if (model == null) {
        return PICOCLI;
      }
      StringJoiner words = new StringJoiner("\t");
      if (model.first != null) {
        words.add("first=" + model.first);
      }
      if (model.rest != null) {
        words.add("rest=" + model.rest);
      }
      if (model.restAfterFirst) {
        words.add("rest-after-first");
      }
      if (model.restNeedsOne) {
        words.add("rest-needs-one");
      }
      new TreeMap<>(model.options).forEach((name, field) -> words.add(name + "=" + field));
      return words.toString();
    }

    /** @return the model of one table line, as {@link #line} wrote it (null for picocli's) */
    static Model parse(String line) {
      if (line.equals(PICOCLI)) {
        return null;
      }
      Map<String, String> options = new HashMap<>();
      String first = null;
      String rest = null;
      boolean restAfterFirst = false;
      boolean restNeedsOne = false;
      for (String word : line.isEmpty() ? new String[0] : line.split("\t")) {
        int eq = word.indexOf('=', 1); // an option's name starts with '-'
        if (word.startsWith("-")) {
          options.put(word.substring(0, eq), word.substring(eq + 1));
        } else if (word.startsWith("first=")) {
          first = word.substring(eq + 1);
        } else if (word.startsWith("rest=")) {
          rest = word.substring(eq + 1);
        } else if (word.equals("rest-after-first")) {
          restAfterFirst = true;
        } else if (word.equals("rest-needs-one")) {
          restNeedsOne = true;
        } else {
          throw new IllegalArgumentException("not a word of " + TABLE + ": " + word);
        }
      }
      return new Model(options, first, rest, restAfterFirst, restNeedsOne);
    }
  }

  private boolean fill(List<String> args, boolean stopAtPositional) {
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (stopAtPositional && !positional.isEmpty() || !arg.startsWith("-") || arg.equals("-")) {
        positional.add(arg);
        continue;
      }
      // --name=value; a value glued to a short option (-eA=1) is picocli's
      int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
      Slot f = options.get(eq < 0 ? arg : arg.substring(0, eq));
      if (f == null) {
        if (arg.startsWith("--") || !flags(arg)) {
          return false;
        }
      } else if (f.type == boolean.class) {
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
  private boolean flags(String arg) {
    for (int c = 1; c < arg.length(); c++) {
      Slot f = options.get("-" + arg.charAt(c));
      if (f == null || f.type != boolean.class || !flag(f)) {
        return false;
      }
    }
    return true;
  }

  private boolean flag(Slot f) {
    if (!seen.add(f)) {
      return false; // picocli refuses a repeated option
    }
    f.handle.set(command, true);
    return true;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private boolean value(Slot f, String value) {
    if (value.startsWith("-")) {
      return false; // an option where a value should be, or a negative number: picocli decides
    }
    Class<?> t = f.type;
    if (t == List.class) {
      List<String> list;
      if (seen.add(f)) {
        list = new ArrayList<>(); // the first use replaces the field's initial list
        f.handle.set(command, (Object) list);
      } else {
        list = (List<String>) f.handle.get(command);
      }
      list.add(value);
      return true;
    }
    if (!seen.add(f)) {
      return false;
    }
    if (t == String.class) {
      f.handle.set(command, (Object) value);
    } else if (t.isEnum()) {
      f.handle.set(command, (Object) Enum.valueOf((Class<? extends Enum>) t, value));
    } else if (!value.matches("[0-9]{1,18}")) {
      return false;
    } else if (t == long.class) {
      f.handle.set(command, Long.parseLong(value));
    } else if (t == Long.class) {
      f.handle.set(command, (Object) Long.valueOf(value));
    } else if (t == int.class) {
      f.handle.set(command, Integer.parseInt(value));
    } else {
      f.handle.set(command, (Object) Integer.valueOf(value));
    }
    return true;
  }

  private boolean positionals(List<String> positional) {
    if (first != null) {
      if (positional.isEmpty()) {
        return false; // picocli says what is missing
      }
      first.handle.set(command, (Object) positional.remove(0));
    }
    if (rest == null) {
      return positional.isEmpty();
    }
    if (positional.isEmpty()) {
      // "1..*" must have one; an unindexed list without arity is picocli's to judge
      return model.restAfterFirst() && !model.restNeedsOne();
    }
    rest.handle.set(command, (Object) new ArrayList<>(positional));
    return true;
  }
}
