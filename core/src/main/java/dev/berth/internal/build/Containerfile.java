package dev.berth.internal.build;

import dev.berth.BerthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed Containerfile (Dockerfile): parser directives ({@code # syntax}, {@code # escape}),
 * then instructions with their line numbers, continuation lines joined and comments dropped.
 * Arguments stay raw: variables are expanded when the instruction is built, with the variables
 * in effect then.
 *
 * @param escape the escape character ({@code \} or {@code `})
 * @param instructions the instructions in order
 */
public record Containerfile(char escape, List<Instruction> instructions) {

  /**
   * @param line the line the instruction starts on, from 1
   * @param keyword upper case, e.g. {@code RUN}
   * @param flags the {@code --name=value} flags before the arguments
   * @param args the arguments after the flags, raw
   */
  public record Instruction(int line, String keyword, Map<String, String> flags, String args) {
    /** @return e.g. {@code RUN make} */
    public String text() {
      StringBuilder sb = new StringBuilder(keyword);
      flags.forEach((k, v) -> sb.append(" --").append(k).append(v == null ? "" : "=" + v));
      return sb.append(' ').append(args).toString();
    }

    /** @return the arguments as a JSON array when written that way (exec form), else null */
    public List<String> jsonArgs() {
      return JsonArray.parse(args);
    }
  }

  /**
   * @param name names the file in errors
   * @throws BerthException naming the line, for a bad directive or an instruction without
   *     arguments
   */
  public static Containerfile parse(String text, String name) {
    String[] lines = text.split("\r?\n", -1);
    char escape = '\\';
    int i = 0;
    for (; i < lines.length; i++) {
      String l = lines[i].strip();
      var m = java.util.regex.Pattern.compile("#\\s*([a-zA-Z]+)\\s*=\\s*(.*)").matcher(l);
      if (!m.matches()) {
        break;
      }
      String key = m.group(1).toLowerCase(Locale.ROOT);
      if (key.equals("escape")) {
        String v = m.group(2).strip();
        if (!v.equals("\\") && !v.equals("`")) {
          throw new BerthException(name + " line " + (i + 1) + ": invalid escape directive '"
              + v + "': it must be \\ or `");
        }
        escape = v.charAt(0);
      }
      // syntax= and check= choose a frontend; Berth's parser is the frontend, so they are noted
      // and ignored
    }
    return new Containerfile(escape, instructions(lines, i, escape, name));
  }

  private static List<Instruction> instructions(String[] lines, int from, char escape,
      String name) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = null;
    int start = 0;
    for (int i = from; i < lines.length; i++) {
      String line = lines[i];
      String stripped = line.strip();
      if (stripped.startsWith("#") || stripped.isEmpty() && current != null) {
        continue; // comments, and empty lines inside a continuation
      }
      if (stripped.isEmpty()) {
        continue;
      }
      if (current == null) {
        current = new StringBuilder();
        start = i + 1;
      }
      String trimmedEnd = line.stripTrailing();
      if (trimmedEnd.endsWith(String.valueOf(escape))) {
        current.append(trimmedEnd, 0, trimmedEnd.length() - 1);
        continue;
      }
      current.append(line);
      out.add(instruction(current.toString().strip(), start, name));
      current = null;
    }
    if (current != null) {
      out.add(instruction(current.toString().strip(), start, name));
    }
    return out;
  }

  private static Instruction instruction(String text, int line, String name) {
    int sp = firstSpace(text);
    String keyword = (sp < 0 ? text : text.substring(0, sp)).toUpperCase(Locale.ROOT);
    String rest = sp < 0 ? "" : text.substring(sp).strip();
    Map<String, String> flags = new LinkedHashMap<>();
    while (rest.startsWith("--")) {
      int end = firstSpace(rest);
      String flag = end < 0 ? rest.substring(2) : rest.substring(2, end);
      int eq = flag.indexOf('=');
      flags.put(eq < 0 ? flag : flag.substring(0, eq), eq < 0 ? null : flag.substring(eq + 1));
      rest = end < 0 ? "" : rest.substring(end).strip();
    }
    if (rest.isEmpty()) {
      throw new BerthException(name + " line " + line + ": " + keyword
          + " requires at least one argument");
    }
    return new Instruction(line, keyword, flags, rest);
  }

  private static int firstSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
