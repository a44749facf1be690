package dev.berth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of a module as text, in the spirit of OkHttp's {@code okhttp.api}: every public
 * and protected type and member of the packages its {@code module-info} exports, one signature a
 * line, with generics and {@code throws}, sorted so the text only changes when the API does.
 *
 * <pre>
 * public final class dev.berth.Image {
 *   public static dev.berth.Image pull(java.lang.String)
 * }
 * </pre>
 *
 * Read by reflection from the compiled classes (loaded without initialising them), so it shows
 * what a user compiles against, including what the compiler generates (enum {@code values()},
 * record accessors) and the members a public class inherits from a package-private superclass,
 * listed as its own while the superclass stays unnamed (as Javadoc shows them).
 */
final class ApiDump {
  private ApiDump() {}

  /** The packages that {@code classes/module-info.class} exports, sorted. */
  static List<String> exportedPackages(Path classes) {
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      return ModuleDescriptor.read(in).exports().stream()
          .filter(e -> !e.isQualified())
          .map(ModuleDescriptor.Exports::source)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + classes.resolve("module-info.class"), e);
    }
  }

  /** The API lines of every exported package under {@code classes}. */
  static List<String> of(Path classes) {
    List<Class<?>> types = new ArrayList<>();
    for (String pkg : exportedPackages(classes)) {
      types.addAll(typesIn(classes, pkg));
    }
    return of(types);
  }

  /** The API lines of {@code types}: those a user can reach, by name, each with its members. */
  static List<String> of(List<Class<?>> types) {
    List<String> lines = new ArrayList<>();
    types.stream().filter(ApiDump::isApi).sorted(Comparator.comparing(Class::getName))
        .forEach(c -> {
          if (!lines.isEmpty()) {
            lines.add("");
          }
          lines.addAll(describe(c));
        });
    return lines;
  }

  private static List<Class<?>> typesIn(Path classes, String pkg) {
    Path dir = classes.resolve(pkg.replace('.', '/'));
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
          .map(n -> load(pkg + "." + n.substring(0, n.length() - ".class".length())))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ApiDump.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("compiled class " + name + " cannot be loaded", e);
    }
  }

  /** Public, or a public or protected member type of such a type; never local or anonymous. */
  static boolean isApi(Class<?> c) {
    if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
      return false;
    }
    Class<?> outer = c.getDeclaringClass();
    return outer == null ? Modifier.isPublic(c.getModifiers())
        : isVisible(c.getModifiers()) && isApi(outer);
  }

  private static boolean isVisible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  /** One type: its header line, one line a visible member, and a closing brace. */
  static List<String> describe(Class<?> c) {
    List<String> out = new ArrayList<>();
    out.add(header(c) + " {");
    List<Member> members = new ArrayList<>();
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (isVisible(k.getModifiers()) && !k.isSynthetic()) {
        members.add(new Member(0, "", executable(k, c.getName(), null)));
      }
    }
    Set<String> seen = new HashSet<>(); // fields by name, methods by name and parameter types
    for (Class<?> k : selfAndHiddenSuperclasses(c)) {
      for (Field f : k.getDeclaredFields()) {
        if (isVisible(f.getModifiers()) && !f.isSynthetic() && seen.add(f.getName())) {
          members.add(new Member(1, f.getName(), modifiers(f.getModifiers(),
              Modifier.fieldModifiers()) + f.getGenericType().getTypeName() + " " + f.getName()));
        }
      }
      for (Method m : k.getDeclaredMethods()) {
        if (isVisible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()
            && seen.add(m.getName() + Arrays.toString(m.getParameterTypes()))) {
          members.add(new Member(2, m.getName(), executable(m, m.getName(), m)));
        }
      }
    }
    members.stream().sorted(Comparator.comparingInt(Member::kind).thenComparing(Member::name)
        .thenComparing(Member::line)).forEach(m -> out.add("  " + m.line()));
    out.add("}");
    return out;
  }

  private record Member(int kind, String name, String line) {}

  /**
   * {@code c} and the non-public superclasses above it, nearest first: a public class's public
   * members declared in a package-private superclass are members a user calls and Javadoc lists
   * (as {@code StringBuilder}'s from {@code AbstractStringBuilder}), and the hidden class itself
   * is no part of the API.
   */
  private static List<Class<?>> selfAndHiddenSuperclasses(Class<?> c) {
    List<Class<?>> out = new ArrayList<>(List.of(c));
    for (Class<?> k = c.getSuperclass(); k != null && !Modifier.isPublic(k.getModifiers());
        k = k.getSuperclass()) {
      out.add(k);
    }
    return out;
  }

  private static String header(Class<?> c) {
    String kind;
    int mods = c.getModifiers() & Modifier.classModifiers();
    if (c.isAnnotation()) {
      kind = "@interface";
      mods &= ~(Modifier.ABSTRACT | Modifier.INTERFACE);
    } else if (c.isInterface()) {
      kind = "interface";
      mods &= ~(Modifier.ABSTRACT | Modifier.INTERFACE);
    } else if (c.isEnum()) {
      kind = "enum";
    } else if (c.isRecord()) {
      kind = "record";
    } else {
      kind = "class";
    }
    StringBuilder s = new StringBuilder(modifiers(mods, ~0));
    if (c.isSealed()) {
      s.append("sealed ");
    }
    s.append(kind).append(' ').append(c.getName()).append(typeParameters(c.getTypeParameters()));
    List<Class<?>> own = selfAndHiddenSuperclasses(c);
    Type superclass = own.get(own.size() - 1).getGenericSuperclass();
    if (superclass != null && !c.isEnum() && !c.isRecord() && superclass != Object.class) {
      s.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = own.stream().flatMap(k -> Arrays.stream(k.getGenericInterfaces()))
        .toArray(Type[]::new);
    if (interfaces.length > 0 && !c.isAnnotation()) {
      s.append(c.isInterface() ? " extends " : " implements ").append(typeNames(interfaces));
    }
    if (c.isSealed()) {
      s.append(" permits ").append(Arrays.stream(c.getPermittedSubclasses()).map(Class::getName)
          .sorted().collect(Collectors.joining(", ")));
    }
    return s.toString();
  }

  /** A constructor ({@code method} null) or method, as {@code mods <T> R name(P, Q...) throws E}. */
  private static String executable(Executable e, String name, Method method) {
    int allowed = method == null ? Modifier.constructorModifiers() : Modifier.methodModifiers();
    StringBuilder s = new StringBuilder(modifiers(e.getModifiers(), allowed));
    if (method != null && method.isDefault()) {
      s.append("default ");
    }
    String typeParameters = typeParameters(e.getTypeParameters());
    if (!typeParameters.isEmpty()) {
      s.append(typeParameters).append(' ');
    }
    if (method != null) {
      s.append(method.getGenericReturnType().getTypeName()).append(' ');
    }
    List<String> params = new ArrayList<>();
    for (Type t : e.getGenericParameterTypes()) {
      params.add(t.getTypeName());
    }
    if (e.isVarArgs()) {
      String last = params.remove(params.size() - 1);
      params.add(last.substring(0, last.length() - 2) + "...");
    }
    s.append(name).append('(').append(String.join(", ", params)).append(')');
    Type[] thrown = e.getGenericExceptionTypes();
    if (thrown.length > 0) {
      s.append(" throws ").append(typeNames(thrown));
    }
    return s.toString();
  }

  private static String modifiers(int mods, int allowed) {
    String s = Modifier.toString(mods & allowed);
    return s.isEmpty() ? "" : s + " ";
  }

  private static String typeParameters(TypeVariable<?>[] vars) {
    if (vars.length == 0) {
      return "";
    }
    return Arrays.stream(vars).map(v -> {
      Type[] bounds = v.getBounds();
      boolean plain = bounds.length == 1 && bounds[0] == Object.class;
      return plain ? v.getName() : v.getName() + " extends " + Arrays.stream(bounds)
          .map(Type::getTypeName).collect(Collectors.joining(" & "));
    }).collect(Collectors.joining(", ", "<", ">"));
  }

  private static String typeNames(Type[] types) {
    return Arrays.stream(types).map(Type::getTypeName).collect(Collectors.joining(", "));
  }

  /**
   * The lines that differ between {@code expected} and {@code actual}, by longest common
   * subsequence: {@code -} only in expected, {@code +} only in actual, each group under the
   * header of the type it is in. Empty when the two are equal.
   */
  static List<String> diff(List<String> expected, List<String> actual) {
    int n = expected.size();
    int m = actual.size();
    int[][] common = new int[n + 1][m + 1]; // common[i][j]: LCS length of expected[i..], actual[j..]
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        common[i][j] = expected.get(i).equals(actual.get(j)) ? common[i + 1][j + 1] + 1
            : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    List<String> out = new ArrayList<>();
    String type = null;
    String shownType = null;
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      String line;
      char sign;
      if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
        line = expected.get(i);
        sign = ' ';
        i++;
        j++;
      } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
        line = expected.get(i++);
        sign = '-';
      } else {
        line = actual.get(j++);
        sign = '+';
      }
      if (line.endsWith(" {")) {
        type = line;
      }
      if (sign != ' ') {
        if (type != null && !type.equals(shownType) && !line.equals(type)) {
          out.add("  " + type);
        }
        shownType = type;
        out.add(sign + " " + line);
      }
      if (line.equals("}")) {
        type = null; // between types: a blank line belongs to none
      }
    }
    return out;
  }
}
