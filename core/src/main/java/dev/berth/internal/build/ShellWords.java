package dev.berth.internal.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's word processing of instruction arguments: quotes, the escape character, and variable
 * substitution ({@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}}, {@code ${VAR-word}},
 * {@code ${VAR:+word}}, {@code ${VAR+word}}, nested in the word too); single quotes expand
 * nothing. As in Docker, the value of an unquoted variable is split at whitespace, a quoted one is
 * not.
 *
 * <p>Errors are {@link IllegalArgumentException}s; the caller adds the file and line.
 */
final class ShellWords {
  private static final Pattern BRACED =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(:?[-+])?(.*)", Pattern.DOTALL);

  private final String s;
  private final Map<String, String> vars;
  private final char escape;
  private final boolean splitting;
  private final List<String> out = new ArrayList<>();
  private final StringBuilder word = new StringBuilder();
  private boolean inWord;
  private int i;

  private ShellWords(String s, Map<String, String> vars, char escape, boolean splitting) {
    this.s = s;
    this.vars = vars;
    this.escape = escape;
    this.splitting = splitting;
  }

  /**
   * @return the words of {@code s}, split on unquoted whitespace, expanded, quotes removed
   * @throws IllegalArgumentException for an unmatched quote or brace, or an unknown {@code ${}}
   *     form
   */
  static List<String> split(String s, Map<String, String> vars, char escape) {
    return new ShellWords(s, vars, escape, true).words();
  }

  /**
   * @return {@code s} expanded as one word: quotes removed, whitespace kept as written
   * @throws IllegalArgumentException as {@link #split}
   */
  static String expand(String s, Map<String, String> vars, char escape) {
    return String.join("", new ShellWords(s, vars, escape, false).words());
  }

  private List<String> words() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\'') {
        inWord = true;
        word.append(until('\''));
      } else if (c == '"') {
        inWord = true;
        i++;
        word.append(doubleQuoted());
      } else if (c == escape && i + 1 < s.length()) {
        append(s.charAt(i + 1));
        i += 2;
      } else if (c == '$') {
        variable().chars().forEach(ch -> unquoted((char) ch));
      } else {
        unquoted(c);
        i++;
      }
    }
    endWord();
    return out;
  }

  private void unquoted(char c) {
    if (splitting && Character.isWhitespace(c)) {
      endWord();
    } else {
      append(c);
    }
  }

  private void append(char c) {
    word.append(c);
    inWord = true;
  }

  private void endWord() {
    if (inWord) {
      out.add(word.toString());
      word.setLength(0);
      inWord = false;
    }
  }

  private String until(char quote) {
    int end = s.indexOf(quote, i + 1);
    if (end < 0) {
      throw new IllegalArgumentException("unmatched " + quote + " in: " + s
          + "; close the quote");
    }
    String inner = s.substring(i + 1, end);
    i = end + 1;
    return inner;
  }

  private String doubleQuoted() {
    StringBuilder sb = new StringBuilder();
    String escapable = "\"$" + escape;
    while (i < s.length() && s.charAt(i) != '"') {
      char c = s.charAt(i);
      if (c == escape && i + 1 < s.length() && escapable.indexOf(s.charAt(i + 1)) >= 0) {
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
      throw new IllegalArgumentException("unmatched \" in: " + s + "; close the quote");
    }
    i++;
    return sb.toString();
  }

  private String variable() {
    i++; // '$'
    if (i < s.length() && s.charAt(i) == '{') {
      int end = closingBrace(i);
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

  /** The index of the brace closing the one at {@code open}, counting nested {@code ${…}}. */
  private int closingBrace(int open) {
    int depth = 0;
    for (int j = open; j < s.length(); j++) {
      char c = s.charAt(j);
      if (c == escape) {
        j++;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return j;
      }
    }
    throw new IllegalArgumentException("missing '}' in: " + s + "; close the ${");
  }

  private String braced(String inner) {
    Matcher m = BRACED.matcher(inner);
    if (!m.matches() || m.group(2) == null && !m.group(3).isEmpty()) {
      throw new IllegalArgumentException("unsupported variable substitution ${" + inner
          + "}: Berth knows ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:+alt} and"
          + " ${VAR+alt}");
    }
    String op = m.group(2);
    String value = vars.get(m.group(1));
    if (op == null) {
      return value == null ? "" : value;
    }
    boolean set = op.startsWith(":") ? value != null && !value.isEmpty() : value != null;
    if (op.endsWith("-")) {
      return set ? value : expand(m.group(3), vars, escape);
    }
    return set ? expand(m.group(3), vars, escape) : "";
  }
}
