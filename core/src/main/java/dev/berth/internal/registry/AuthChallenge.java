package dev.berth.internal.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge from a {@code WWW-Authenticate} header (RFC 9110 section 11.6.1), e.g.
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io"}.
 *
 * @param scheme the scheme in lower case: {@code bearer}, {@code basic}, ...
 * @param params the auth-params with lower-case names and unquoted values
 */
record AuthChallenge(String scheme, Map<String, String> params) {

  AuthChallenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    params = Map.copyOf(params);
  }

  /** @return the parameter, or null */
  String param(String name) {
    return params.get(name);
  }

  /**
   * Parses every challenge in the given header values. Malformed trailing parts are dropped
   * rather than failing: a registry that garbles its header still gets the challenges it did
   * spell out.
   */
  static List<AuthChallenge> parseAll(List<String> headerValues) {
    List<AuthChallenge> all = new ArrayList<>();
    for (String value : headerValues) {
      all.addAll(new Parser(value).challenges());
    }
    return all;
  }

  /** A small cursor over one header value. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    List<AuthChallenge> challenges() {
      List<AuthChallenge> out = new ArrayList<>();
      while (true) {
        skip(" \t,");
        String scheme = token();
        if (scheme.isEmpty()) {
          return out;
        }
        out.add(new AuthChallenge(scheme, params()));
      }
    }

    /** Reads auth-params until the next challenge's scheme or the end. */
    private Map<String, String> params() {
      Map<String, String> params = new LinkedHashMap<>();
      skip(" \t");
      skipToken68();
      while (true) {
        skip(" \t,");
        int start = pos;
        String name = token();
        skip(" \t");
        if (name.isEmpty() || !peek('=')) {
          pos = start; // the next challenge's scheme: let the caller read it
          return params;
        }
        pos++;
        skip(" \t");
        params.put(name.toLowerCase(Locale.ROOT), peek('"') ? quoted() : token());
      }
    }

    /** Skips a {@code token68} right after a scheme (e.g. {@code abc==}), if there is one. */
    private void skipToken68() {
      int start = pos;
      token();
      while (peek('=')) {
        pos++;
      }
      skip(" \t");
      if (pos == start || pos < s.length() && !peek(',')) {
        pos = start; // an auth-param or the next scheme, not a token68
      }
    }

    private String quoted() {
      StringBuilder b = new StringBuilder();
      pos++; // opening quote
      while (pos < s.length() && s.charAt(pos) != '"') {
        char c = s.charAt(pos++);
        if (c == '\\' && pos < s.length()) {
          c = s.charAt(pos++);
        }
        b.append(c);
      }
      pos = Math.min(pos + 1, s.length()); // closing quote, if any
      return b.toString();
    }

    private String token() {
      int start = pos;
      while (pos < s.length() && isTokenChar(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    private static boolean isTokenChar(char c) {
      return c > ' ' && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0
          || c == '/' || c == ':';
    }

    private boolean peek(char c) {
      return pos < s.length() && s.charAt(pos) == c;
    }

    private void skip(String chars) {
      while (pos < s.length() && chars.indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    }
  }
}
