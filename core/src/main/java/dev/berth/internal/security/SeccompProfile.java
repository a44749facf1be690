package dev.berth.internal.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A seccomp profile in Docker's JSON format (the one {@code docker run --security-opt
 * seccomp=file.json} reads). Fields Berth does not use (archMap, flags, comment, ...) are ignored.
 *
 * @param defaultAction what a call no rule matches gets
 * @param rules in the profile's order; the first whose syscall and arguments match decides
 */
record SeccompProfile(SeccompAction defaultAction, List<Rule> rules) {
  private static final String DEFAULT_RESOURCE = "default-seccomp.json";

  SeccompProfile {
    rules = List.copyOf(rules);
  }

  /** Which capabilities, architectures and kernel a rule is for (Docker's includes/excludes). */
  record Filter(Set<String> caps, Set<String> arches, String minKernel) {
    static final Filter NONE = new Filter(Set.of(), Set.of(), null);
  }

  /** One comparison of a 64-bit syscall argument (value2 is the expected value of MASKED_EQ). */
  record ArgCheck(int index, long value, long value2, String op) {
    static final Set<String> OPS = Set.of("SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_GT",
        "SCMP_CMP_GE", "SCMP_CMP_MASKED_EQ");

    ArgCheck {
      if (index < 0 || index > 5) throw new IllegalArgumentException("seccomp arg index " + index + " must be 0 to 5");
      if (!OPS.contains(op)) throw new IllegalArgumentException("unknown seccomp comparison \"" + op + "\"; use one of " + OPS);
    }
  }

  /** A rule: these calls, when all args match, get this action (if includes/excludes let it apply). */
  record Rule(List<String> names, SeccompAction action, List<ArgCheck> args, Filter includes, Filter excludes) {
    Rule {
      names = List.copyOf(names);
      args = List.copyOf(args);
    }
  }

  /** Berth's default profile, shipped as dev/berth/internal/security/default-seccomp.json; parsed once. */
  static SeccompProfile builtIn() {
    return BuiltIn.PROFILE;
  }

  /** Holder: the resource is read on first use, and only then. */
  private static final class BuiltIn {
    static final SeccompProfile PROFILE = readBuiltIn();
  }

  private static SeccompProfile readBuiltIn() {
    try (InputStream in = SeccompProfile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) throw new IllegalStateException("the Berth jar lacks " + DEFAULT_RESOURCE + "; rebuild it");
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param json a Docker-format profile
   * @param origin names the profile in errors, like its file name
   * @throws IllegalArgumentException naming the origin and what is wrong (bad JSON, unknown action or comparison)
   */
  static SeccompProfile parse(String json, String origin) {
    try {
      JsonNode root = Json.MAPPER.readTree(json);
      if (root == null || !root.isObject()) throw new IllegalArgumentException("not a JSON object");
      int defaultErrno = root.path("defaultErrnoRet").asInt(SeccompAction.EPERM);
      SeccompAction def = SeccompAction.parse(text(root, "defaultAction"), defaultErrno);
      List<Rule> rules = new ArrayList<>();
      for (JsonNode r : root.path("syscalls")) rules.add(rule(r, defaultErrno));
      return new SeccompProfile(def, rules);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("seccomp profile " + origin + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("seccomp profile " + origin + ": " + e.getMessage(), e);
    }
  }

  private static Rule rule(JsonNode r, int defaultErrno) {
    List<String> names = strings(r.path("names"));
    if (r.hasNonNull("name")) names.add(r.get("name").asText()); // the old one-name form
    SeccompAction action = SeccompAction.parse(text(r, "action"), r.path("errnoRet").asInt(defaultErrno));
    List<ArgCheck> args = new ArrayList<>();
    for (JsonNode a : r.path("args")) {
      args.add(new ArgCheck(a.path("index").asInt(), a.path("value").asLong(), a.path("valueTwo").asLong(), text(a, "op")));
    }
    return new Rule(names, action, args, filter(r.path("includes")), filter(r.path("excludes")));
  }

  private static Filter filter(JsonNode f) {
    if (f.isMissingNode() || f.isNull()) return Filter.NONE;
    String minKernel = f.hasNonNull("minKernel") ? f.get("minKernel").asText() : null;
    return new Filter(Set.copyOf(strings(f.path("caps"))), Set.copyOf(strings(f.path("arches"))), minKernel);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) throw new IllegalArgumentException("\"" + field + "\" is missing or not a string in " + node);
    return v.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) out.add(n.asText());
    return out;
  }
}
