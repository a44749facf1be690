package dev.berth.internal.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The patterns of a {@code .dockerignore} file, by Docker's rules: one pattern a line, {@code #}
 * comments, {@code !} re-includes, {@code *} and {@code ?} within one path component, {@code **}
 * across any number; a path is excluded when the last pattern matching it or one of its parents is
 * not an exception.
 */
public final class DockerIgnore {
  private record Rule(Pattern pattern, boolean exception) {}

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** @return the rules of {@code context/.dockerignore}, or none when it is missing */
  public static DockerIgnore read(Path context) {
    Path file = context.resolve(".dockerignore");
    if (!Files.isRegularFile(file)) {
      return of(List.of());
    }
    try {
      return of(Files.readAllLines(file));
    } catch (IOException e) {
      throw new dev.berth.BerthException("cannot read " + file + ": " + e, e);
    }
  }

  /** @return rules from the lines of a {@code .dockerignore} */
  public static DockerIgnore of(List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exception = line.startsWith("!");
      String p = clean(exception ? line.substring(1).strip() : line);
      if (!p.isEmpty()) {
        rules.add(new Rule(Pattern.compile(toRegex(p)), exception));
      }
    }
    return new DockerIgnore(rules);
  }

  /** @param rel a path relative to the context, with {@code /} separators */
  public boolean isExcluded(String rel) {
    boolean excluded = false;
    for (Rule r : rules) {
      if (matchesSelfOrParent(r.pattern(), rel)) {
        excluded = !r.exception();
      }
    }
    return excluded;
  }

  private static boolean matchesSelfOrParent(Pattern p, String rel) {
    String path = rel;
    while (true) {
      if (p.matcher(path).matches()) {
        return true;
      }
      int slash = path.lastIndexOf('/');
      if (slash < 0) {
        return false;
      }
      path = path.substring(0, slash);
    }
  }

  private static String clean(String p) {
    String s = Path.of("/" + p).normalize().toString().substring(1);
    return s.replace('\\', '/');
  }

  /** Docker's pattern syntax as a regex over a whole relative path. */
  static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        i++;
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
          i++;
          re.append("(?:.*/)?");
        } else {
          re.append(".*");
        }
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int end = glob.indexOf(']', i);
        if (end < 0) {
          re.append("\\[");
        } else {
          String set = glob.substring(i + 1, end).replace("\\", "\\\\");
          re.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
          i = end;
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
