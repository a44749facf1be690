package dev.berth.internal.security;

import dev.berth.internal.util.JsonReader;
import dev.berth.internal.util.RecordJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
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
      Doc doc = RecordJson.read(json.getBytes(StandardCharsets.UTF_8), Doc.class);
      int defaultErrno = doc.defaultErrnoRet() == null ? SeccompAction.EPERM : doc.defaultErrnoRet();
      SeccompAction def = SeccompAction.parse(required(doc.defaultAction(), "defaultAction", "the profile"),
          defaultErrno);
      List<Rule> rules = new ArrayList<>();
      for (DocRule r : list(doc.syscalls())) rules.add(rule(r, defaultErrno, "syscalls[" + rules.size() + "]"));
      return new SeccompProfile(def, rules);
    } catch (RecordJson.WrongType e) {
      throw new IllegalArgumentException("seccomp profile " + origin + ": " + e.getMessage(), e);
    } catch (JsonReader.SyntaxError e) {
      throw new IllegalArgumentException("seccomp profile " + origin + " is not valid JSON: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("seccomp profile " + origin + ": " + e.getMessage(), e);
    }
  }

  /** A profile as Docker writes it, read before it is checked ({@link RecordJson}: no data binding on a run). */
  private record Doc(String defaultAction, Integer defaultErrnoRet, List<DocRule> syscalls) {}

  /** {@code name} is the old one-name form of {@code names}. */
  private record DocRule(List<String> names, String name, String action, Integer errnoRet, List<DocArg> args,
      DocFilter includes, DocFilter excludes) {}

  /** Values are uint64 in Docker's format: kept as their 64 bits. */
  private record DocArg(int index, BigInteger value, BigInteger valueTwo, String op) {}

  private record DocFilter(List<String> caps, List<String> arches, String minKernel) {}

  private static Rule rule(DocRule r, int defaultErrno, String where) {
    List<String> names = new ArrayList<>(list(r.names()));
    if (r.name() != null) names.add(r.name());
    SeccompAction action = SeccompAction.parse(required(r.action(), "action", where),
        r.errnoRet() == null ? defaultErrno : r.errnoRet());
    List<ArgCheck> args = new ArrayList<>();
    for (DocArg a : list(r.args())) {
      args.add(new ArgCheck(a.index(), bits(a.value()), bits(a.valueTwo()),
          required(a.op(), "op", where + ".args[" + args.size() + "]")));
    }
    return new Rule(names, action, args, filter(r.includes()), filter(r.excludes()));
  }

  private static Filter filter(DocFilter f) {
    if (f == null) return Filter.NONE;
    return new Filter(Set.copyOf(list(f.caps())), Set.copyOf(list(f.arches())), f.minKernel());
  }

  private static String required(String value, String field, String where) {
    if (value == null) throw new IllegalArgumentException("\"" + field + "\" is missing in " + where);
    return value;
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static long bits(BigInteger v) {
    return v == null ? 0 : v.longValue();
  }
}
