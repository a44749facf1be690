package dev.berth.internal.build;

import dev.berth.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Docker's word processing of instruction arguments: quotes, the escape character, and variable
 * substitution ({@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}}, {@code ${VAR-word}},
 * {@code ${VAR:+word}}, {@code ${VAR+word}}); single quotes expand nothing.
 */
final class ShellWords {
  private final String s;
  private final Map<String, String> vars;
  private final char escape;
  private int i;

  private ShellWords(String s, Map<String, String> vars, char escape) {
    this.s = s;
    this.vars = vars;
    this.escape = escape;
  }

  /** @return the words of {@code s}, split on unquoted whitespace, expanded, quotes removed */
  static List<String> split(String s, Map<String, String> vars, char escape) {
    return new ShellWords(s, vars, escape).words();
  }

  /** @return {@code s} expanded as one word (whitespace kept) */
  static String expand(String s, Map<String, String> vars, char escape) {
    return String.join(" ", split(s, vars, escape));
  }

  private List<String> words() {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
        continue;
      }
      inWord = true;
      if (c == '\'') {
        word.append(until('\''));
      } else if (c == '"') {
        i++;
        word.append(doubleQuoted());
      } else if (c == escape && i + 1 < s.length()) {
        word.append(s.charAt(i + 1));
        i += 2;
      } else if (c == '$') {
        word.append(variable());
      } else {
        word.append(c);
        i++;
      }
    }
    if (inWord) {
      out.add(word.toString());
    }
    return out;
  }

  private String until(char quote) {
    int end = s.indexOf(quote, i + 1);
    if (end < 0) {
      throw new BerthException("unmatched " + quote + " in: " + s);
    }
    String inner = s.substring(i + 1, end);
    i = end + 1;
    return inner;
  }

  private String doubleQuoted() {
    StringBuilder sb = new StringBuilder();
    while (i < s.length() && s.charAt(i) != '"') {
      char c = s.charAt(i);
      if (c == escape && i + 1 < s.length() && "\"$`\\".indexOf(s.charAt(i + 1)) >= 0) {
        sb.append(s.charAt(i + 1));
        i += 2;
      } else if (c == '$') {
        sb.append(variable());
      } else {
        sb.append(c);
        i++;
      }
    }
    if (i >= s.length()) {
      throw new BerthException("unmatched \" in: " + s);
    }
    i++;
    return sb.toString();
  }

  private String variable() {
    i++; // '$'
    if (i < s.length() && s.charAt(i) == '{') {
      int end = s.indexOf('}', i);
      if (end < 0) {
        throw new BerthException("missing '}' in: " + s);
      }
      String inner = s.substring(i + 1, end);
      i = end + 1;
      return braced(inner);
    }
    int start = i;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    if (start == i) {
      return "$";
    }
    return vars.getOrDefault(s.substring(start, i), "");
  }

  private String braced(String inner) {
    var m = java.util.regex.Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(:?[-+])?(.*)", 
        java.util.regex.Pattern.DOTALL).matcher(inner);
    if (!m.matches() || m.group(2) == null && !m.group(3).isEmpty()) {
      throw new BerthException("unsupported variable substitution ${" + inner + "}: Berth knows"
          + " ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:+alt} and ${VAR+alt}");
    }
    String name = m.group(1);
    String op = m.group(2);
    String word = op == null ? "" : expand(m.group(3), vars, escape);
    String value = vars.get(name);
    if (op == null) {
      return value == null ? "" : value;
    }
    return switch (op) {
      case ":-" -> value == null || value.isEmpty() ? word : value;
      case "-" -> value == null ? word : value;
      case ":+" -> value == null || value.isEmpty() ? "" : word;
      default -> value == null ? "" : word;
    };
  }
}
