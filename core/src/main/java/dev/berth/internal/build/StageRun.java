package dev.berth.internal.build;

import dev.berth.BuildOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One stage of a {@link ContainerfileBuild} being built: turns each instruction into a
 * {@link Step} and applies it, tracking the stage's state, its ARGs and (through its step
 * factory) its workdir. The build owns the stages and the variable rules; this class owns what
 * each instruction means.
 */
final class StageRun {
  /** ARGs Docker lets a build set without an ARG line. */
  private static final Set<String> PREDEFINED = Set.of("HTTP_PROXY", "http_proxy",
      "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy",
      "ALL_PROXY", "all_proxy");

  private final ContainerfileBuild build;
  private final BuildSession session;
  private final BuildOptions options;
  private BuildState state;
  private final Map<String, String> args = new LinkedHashMap<>();
  private final StepFactory factory;

  StageRun(ContainerfileBuild build, BuildState base) {
    this.build = build;
    this.session = build.session();
    this.options = build.options();
    this.state = base;
    this.factory = new StepFactory(session);
    factory.after(base);
  }

  /** @return the stage's state after the instructions applied so far */
  BuildState state() {
    return state;
  }

  /** The variables instructions expand: ARGs in effect, overridden by ENV. */
  Map<String, String> vars() {
    Map<String, String> v = new HashMap<>();
    args.forEach((k, val) -> {
      if (val != null) {
        v.put(k, val);
      }
    });
    for (String kv : state.config().config().env()) {
      int eq = kv.indexOf('=');
      v.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return v;
  }

  List<String> words(Containerfile.Instruction in) {
    return build.split(in, in.args(), vars());
  }

  void apply(Containerfile.Instruction in) {
    Step step = step(in);
    if (step != null) {
      state = session.apply(state, step);
      factory.after(state);
    }
  }

  private Step step(Containerfile.Instruction in) {
    switch (in.keyword()) {
      case "ARG":
        build.declare(in, args, vars());
        return null;
      case "ENV":
        return factory.env(pairs(in, true));
      case "LABEL":
        List<String> kv = pairs(in, false);
        return factory.labels(kv.stream().map(p -> p.substring(0, p.indexOf('='))).toList(),
            kv.stream().map(p -> p.substring(p.indexOf('=') + 1)).toList());
      case "WORKDIR":
        return factory.workdir(String.join(" ", words(in)));
      case "USER":
        return factory.user(String.join(" ", words(in)));
      case "EXPOSE":
        List<String> ports = words(in);
        ports.forEach(p -> check(in, () -> StepFactory.checkPort(p)));
        return factory.expose(ports);
      case "VOLUME":
        List<String> json = in.jsonArgs();
        return factory.volumes(json != null ? json : words(in));
      case "STOPSIGNAL":
        return factory.stopSignal(String.join(" ", words(in)));
      case "CMD":
        return factory.cmd(command(in));
      case "ENTRYPOINT":
        return factory.entrypoint(command(in));
      case "SHELL":
        List<String> shell = in.jsonArgs();
        if (shell == null || shell.isEmpty()) {
          throw build.error(in, "SHELL needs a JSON array, e.g. SHELL [\"/bin/bash\", \"-c\"]");
        }
        return factory.shell(shell);
      case "RUN":
        return factory.run(command(in), in.jsonArgs() != null, runArgs());
      case "COPY":
      case "ADD":
        return copy(in);
      case "HEALTHCHECK":
        return healthcheck(in);
      case "ONBUILD":
        return factory.onBuild(in.args());
      case "MAINTAINER":
        // deprecated, but Docker still accepts it: it becomes a label-less author
        return factory.labels(List.of("maintainer"), List.of(in.args()));
      case "FROM":
        throw new IllegalStateException("FROM starts a stage");
      default:
        throw build.error(in, "unknown or unsupported instruction; Berth builds FROM, RUN, COPY,"
            + " ADD, ENV, ARG, WORKDIR, USER, CMD, ENTRYPOINT, EXPOSE, LABEL, VOLUME, SHELL,"
            + " HEALTHCHECK, STOPSIGNAL, ONBUILD and MAINTAINER");
    }
  }

  private void check(Containerfile.Instruction in, Runnable r) {
    try {
      r.run();
    } catch (IllegalArgumentException e) {
      throw build.error(in, e.getMessage());
    }
  }

  /** The ARGs a RUN sees: declared ones with a value, plus predefined ones given. */
  private Map<String, String> runArgs() {
    Map<String, String> env = new LinkedHashMap<>();
    options.buildArgs().forEach((k, v) -> {
      if (PREDEFINED.contains(k)) {
        env.put(k, v);
      }
    });
    args.forEach((k, v) -> {
      if (v != null) {
        env.put(k, v);
      }
    });
    return env;
  }

  /** Exec form as written; shell form wrapped in the image's SHELL (default /bin/sh -c). */
  private List<String> command(Containerfile.Instruction in) {
    List<String> json = in.jsonArgs();
    if (json != null) {
      return json;
    }
    List<String> shell = state.config().config().shell();
    List<String> argv = new ArrayList<>(shell.isEmpty() ? List.of("/bin/sh", "-c") : shell);
    argv.add(in.args());
    return argv;
  }

  /** ENV/LABEL: {@code k=v k2="v 2"}, or the legacy {@code ENV k some value}. */
  private List<String> pairs(Containerfile.Instruction in, boolean env) {
    List<String> w = words(in);
    if (!w.get(0).contains("=")) {
      if (w.size() < 2 && env) {
        throw build.error(in, "ENV needs a value: ENV NAME=value (or ENV NAME value)");
      }
      return List.of(w.get(0) + "=" + String.join(" ", w.subList(1, w.size())));
    }
    for (String p : w) {
      if (!p.contains("=") || p.startsWith("=")) {
        throw build.error(in, "'" + p + "' is not NAME=value; quote values with spaces");
      }
    }
    return w;
  }

  private Step copy(Containerfile.Instruction in) {
    List<String> json = in.jsonArgs();
    List<String> w = json != null ? json : words(in);
    if (w.size() < 2) {
      throw build.error(in, "needs at least one source and a destination, e.g. COPY app.jar /app/");
    }
    List<String> sources = w.subList(0, w.size() - 1);
    if (sources.stream().anyMatch(s -> s.matches("(?i)^(https?|git)://.*|^git@.*"))) {
      throw build.error(in, "remote sources are not supported: download the file into the build"
          + " context first, or use RUN curl/wget");
    }
    FileStager.Attrs attrs = attrs(in);
    String from = in.flags().get("from");
    boolean add = in.keyword().equals("ADD");
    if (from == null) {
      CopySource ctx = new CopySource(options.context(), build.ignore(),
          "build context " + options.context());
      return factory.copy(in.text(), () -> ctx, null, sources, w.get(w.size() - 1), attrs, add);
    }
    return copyFrom(in, from, sources, w.get(w.size() - 1), attrs);
  }

  private Step copyFrom(Containerfile.Instruction in, String from, List<String> sources,
      String dest, FileStager.Attrs attrs) {
    String ref = build.expand(in, from, vars());
    var idx = build.findStage(ref);
    BuildState source = idx.isPresent() ? build.stage(idx.get()) : session.base(ref);
    return factory.copy(in.text(), () -> flatten(source, sources), source.id(), sources, dest,
        attrs, false);
  }

  private CopySource flatten(BuildState source, List<String> sources) {
    Path dir = session.newTempDir("from-");
    for (String s : sources) {
      String rel = s.replaceFirst("^/+", "");
      int glob = firstGlobDir(rel);
      LayerFlattener.extract(session.layerDirs(source), rel.substring(0, glob), dir);
    }
    return new CopySource(dir, DockerIgnore.of(List.of()), "stage");
  }

  private int firstGlobDir(String rel) {
    for (int i = 0; i < rel.length(); i++) {
      if ("*?[".indexOf(rel.charAt(i)) >= 0) {
        return Math.max(0, rel.lastIndexOf('/', i));
      }
    }
    return rel.length();
  }

  /** Owner root, or for COPY --from the source's own, unless --chown says otherwise. */
  private FileStager.Attrs attrs(Containerfile.Instruction in) {
    Integer uid = in.flags().containsKey("from") ? null : 0;
    Integer gid = uid;
    String chown = in.flags().get("chown");
    if (chown != null) {
      var lowers = new ArrayList<>(session.layerDirs(state));
      java.util.Collections.reverse(lowers);
      var user = dev.berth.internal.runtime.ExecUser.resolve(
          build.expand(in, chown, vars()),
          dev.berth.internal.runtime.LayerView.readFile(lowers, "/etc/passwd").orElse(null),
          dev.berth.internal.runtime.LayerView.readFile(lowers, "/etc/group").orElse(null));
      uid = user.uid();
      gid = user.gid();
    }
    Integer mode = null;
    String chmod = in.flags().get("chmod");
    if (chmod != null) {
      if (!chmod.matches("[0-7]{1,4}")) {
        throw build.error(in, "--chmod=" + chmod + " is not an octal mode such as 755");
      }
      mode = Integer.parseInt(chmod, 8);
    }
    return new FileStager.Attrs(uid, gid, mode, options.created());
  }

  private Step healthcheck(Containerfile.Instruction in) {
    String args = in.args();
    if (args.equalsIgnoreCase("NONE")) {
      return factory.healthcheck(List.of("NONE"), null, null, null, 0);
    }
    if (!args.regionMatches(true, 0, "CMD", 0, 3)) {
      throw build.error(in, "HEALTHCHECK takes NONE or CMD command, e.g. HEALTHCHECK CMD curl -f"
          + " http://localhost/");
    }
    String cmd = args.substring(3).strip();
    List<String> json = JsonArray.parse(cmd);
    List<String> test = new ArrayList<>();
    if (json != null) {
      test.add("CMD");
      test.addAll(json);
    } else {
      test.add("CMD-SHELL");
      test.add(cmd);
    }
    Map<String, String> f = in.flags();
    int retries = f.containsKey("retries") ? Integer.parseInt(f.get("retries")) : 0;
    return factory.healthcheck(test, duration(in, f.get("interval")),
        duration(in, f.get("timeout")), duration(in, f.get("start-period")), retries);
  }

  private Duration duration(Containerfile.Instruction in, String text) {
    if (text == null) {
      return null;
    }
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
    if (!m.matches()) {
      throw build.error(in, "duration '" + text + "' must be a number with ms, s, m or h, e.g. 30s");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
