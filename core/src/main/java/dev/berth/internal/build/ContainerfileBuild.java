package dev.berth.internal.build;

import dev.berth.BerthException;
import dev.berth.BuildOptions;
import dev.berth.Platform;
import dev.berth.internal.engine.Engine;
import dev.berth.internal.store.ImageRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Containerfile}: splits it into stages at each FROM, builds the target stage
 * (and, on demand, the stages it copies from or starts from), turning each instruction into
 * {@link Step}s with Docker's variable rules: ARGs before the first FROM are global and only
 * visible to FROM lines unless declared again in a stage; ENV wins over ARG; RUN sees the ARGs in
 * effect as environment, and they are part of its cache key.
 */
public final class ContainerfileBuild {
  /** ARGs Docker lets a build set without an ARG line. */
  private static final Set<String> PREDEFINED = Set.of("HTTP_PROXY", "http_proxy",
      "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy",
      "ALL_PROXY", "all_proxy");

  /** The flags each instruction takes; any other flag is refused rather than ignored. */
  private static final Map<String, Set<String>> FLAGS = Map.of(
      "FROM", Set.of("platform"),
      "COPY", Set.of("from", "chown", "chmod", "link"),
      "ADD", Set.of("chown", "chmod", "link"),
      "HEALTHCHECK", Set.of("interval", "timeout", "start-period", "retries"));

  private record Stage(int index, String name, Containerfile.Instruction from,
      List<Containerfile.Instruction> body) {}

  private final BuildSession session;
  private final BuildOptions options;
  private final Containerfile file;
  private final String fileName;
  private final List<Stage> stages = new ArrayList<>();
  private final Map<String, String> globalArgs = new LinkedHashMap<>();
  private final Map<Integer, BuildState> built = new HashMap<>();
  private final DockerIgnore ignore;

  private ContainerfileBuild(Engine engine, BuildOptions options, Containerfile file,
      String fileName) {
    this.session = new BuildSession(engine, new BuildSettings(options.created(),
        options.created(), null, options.hostNetwork(), options.noCache(), options.listener(),
        options.registryAuths()));
    this.options = options;
    this.file = file;
    this.fileName = fileName;
    this.ignore = DockerIgnore.read(options.context());
  }

  /** Builds and stores the image; returns its record. */
  public static ImageRecord build(Engine engine, BuildOptions options) {
    Path path = options.file();
    if (!Files.isDirectory(options.context())) {
      throw new BerthException("build context " + options.context() + " is not a directory;"
          + " give the directory whose files COPY reads");
    }
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new BerthException("cannot read the Containerfile " + path + ": " + e
          + "; give its path with BuildOptions.file, or put a Containerfile in the context", e);
    }
    ContainerfileBuild b = new ContainerfileBuild(engine, options,
        Containerfile.parse(text, path.toString()), path.toString());
    b.split();
    BuildState state = b.stage(b.target());
    return new ImageOutput(engine, b.session.finish(state)).store(options.tags());
  }

  private void split() {
    Stage current = null;
    for (Containerfile.Instruction in : file.instructions()) {
      checkFlags(in);
      if (in.keyword().equals("FROM")) {
        checkPlatform(in);
        List<String> words = split(in, in.args(), globalArgs);
        String name = words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2)
            : null;
        if (words.size() != 1 && name == null) {
          throw error(in, "FROM takes an image and optionally AS name, e.g. FROM node:20 AS build");
        }
        current = new Stage(stages.size(), name, in, new ArrayList<>());
        stages.add(current);
      } else if (current == null) {
        if (!in.keyword().equals("ARG")) {
          throw error(in, "the first instruction must be FROM (only ARG may come before it)");
        }
        declare(in, globalArgs, Map.of());
      } else {
        current.body().add(in);
      }
    }
    if (stages.isEmpty()) {
      throw new BerthException(fileName + " has no FROM instruction: a Containerfile starts"
          + " with FROM image (or FROM scratch)");
    }
  }

  private int target() {
    if (options.target() == null) {
      return stages.size() - 1;
    }
    return findStage(options.target()).orElseThrow(() -> new BerthException("target stage "
        + options.target() + " is not in " + fileName + "; its stages are "
        + stages.stream().map(s -> s.name() == null ? String.valueOf(s.index()) : s.name())
        .toList()));
  }

  private java.util.Optional<Integer> findStage(String nameOrIndex) {
    for (Stage s : stages) {
      if (nameOrIndex.equalsIgnoreCase(s.name()) || nameOrIndex.equals(String.valueOf(s.index()))) {
        return java.util.Optional.of(s.index());
      }
    }
    return java.util.Optional.empty();
  }

  private void checkFlags(Containerfile.Instruction in) {
    Set<String> known = FLAGS.getOrDefault(in.keyword(), Set.of());
    for (String flag : in.flags().keySet()) {
      if (!known.contains(flag)) {
        throw error(in, "unsupported flag --" + flag + (known.isEmpty()
            ? "; Berth takes no flags on " + in.keyword()
            : "; Berth knows " + known.stream().sorted().map(f -> "--" + f).toList()));
      }
    }
  }

  /** Berth builds for the host: FROM --platform may only name it (or $BUILDPLATFORM). */
  private void checkPlatform(Containerfile.Instruction in) {
    String given = in.flags().get("platform");
    if (given == null) {
      return;
    }
    Platform current = Platform.current();
    String host = current.toString();
    Map<String, String> vars = new HashMap<>(globalArgs);
    vars.putIfAbsent("BUILDPLATFORM", host);
    vars.putIfAbsent("TARGETPLATFORM", host);
    String platform = expand(in, given, vars);
    boolean same;
    try {
      Platform p = Platform.parse(platform);
      same = p.os().equals(current.os()) && p.architecture().equals(current.architecture());
    } catch (IllegalArgumentException e) {
      same = false;
    }
    if (!same) {
      throw error(in, "--platform=" + platform + " is not this host's platform " + host
          + "; Berth builds for the host only: remove --platform or build on a " + platform
          + " machine");
    }
  }

  /** The words of {@code text} (part of {@code in}), with errors naming the line. */
  private List<String> split(Containerfile.Instruction in, String text, Map<String, String> vars) {
    try {
      return ShellWords.split(text, vars, file.escape());
    } catch (IllegalArgumentException e) {
      throw error(in, e.getMessage());
    }
  }

  /** {@code text} (part of {@code in}) expanded as one word, with errors naming the line. */
  private String expand(Containerfile.Instruction in, String text, Map<String, String> vars) {
    try {
      return ShellWords.expand(text, vars, file.escape());
    } catch (IllegalArgumentException e) {
      throw error(in, e.getMessage());
    }
  }

  /** Declares ARG name[=default] into {@code scope}: the build-arg value wins over the default. */
  private void declare(Containerfile.Instruction in, Map<String, String> scope,
      Map<String, String> vars) {
    for (String word : split(in, in.args(), vars)) {
      int eq = word.indexOf('=');
      String name = eq < 0 ? word : word.substring(0, eq);
      String given = options.buildArgs().get(name);
      String inherited = globalArgs.get(name);
      String value = given != null ? given : eq >= 0 ? word.substring(eq + 1) : inherited;
      scope.put(name, value);
    }
  }

  private BuildState stage(int index) {
    BuildState done = built.get(index);
    if (done != null) {
      return done;
    }
    Stage stage = stages.get(index);
    String base = split(stage.from(), stage.from().args(), globalArgs).get(0);
    BuildState state;
    if (base.equalsIgnoreCase("scratch")) {
      state = session.scratch();
    } else {
      var earlier = findStage(base).filter(i -> i < index);
      state = earlier.isPresent() ? stage(earlier.get()) : session.base(base);
    }
    StageRun run = new StageRun(state);
    for (Containerfile.Instruction in : stage.body()) {
      run.apply(in);
    }
    built.put(index, run.state);
    return run.state;
  }

  private BerthException error(Containerfile.Instruction in, String what) {
    return new BerthException(fileName + " line " + in.line() + ": " + in.keyword() + ": " + what);
  }

  /** One stage being built: its state, its ARGs, and a step factory tracking its workdir. */
  private final class StageRun {
    BuildState state;
    final Map<String, String> args = new LinkedHashMap<>();
    final StepFactory factory = new StepFactory(session);

    StageRun(BuildState base) {
      this.state = base;
      factory.after(base);
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
      return split(in, in.args(), vars());
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
          declare(in, args, vars());
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
            throw error(in, "SHELL needs a JSON array, e.g. SHELL [\"/bin/bash\", \"-c\"]");
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
          throw error(in, "unknown or unsupported instruction; Berth builds FROM, RUN, COPY,"
              + " ADD, ENV, ARG, WORKDIR, USER, CMD, ENTRYPOINT, EXPOSE, LABEL, VOLUME, SHELL,"
              + " HEALTHCHECK, STOPSIGNAL, ONBUILD and MAINTAINER");
      }
    }

    private void check(Containerfile.Instruction in, Runnable r) {
      try {
        r.run();
      } catch (IllegalArgumentException e) {
        throw error(in, e.getMessage());
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
          throw error(in, "ENV needs a value: ENV NAME=value (or ENV NAME value)");
        }
        return List.of(w.get(0) + "=" + String.join(" ", w.subList(1, w.size())));
      }
      for (String p : w) {
        if (!p.contains("=") || p.startsWith("=")) {
          throw error(in, "'" + p + "' is not NAME=value; quote values with spaces");
        }
      }
      return w;
    }

    private Step copy(Containerfile.Instruction in) {
      List<String> json = in.jsonArgs();
      List<String> w = json != null ? json : words(in);
      if (w.size() < 2) {
        throw error(in, "needs at least one source and a destination, e.g. COPY app.jar /app/");
      }
      List<String> sources = w.subList(0, w.size() - 1);
      if (sources.stream().anyMatch(s -> s.matches("(?i)^(https?|git)://.*|^git@.*"))) {
        throw error(in, "remote sources are not supported: download the file into the build"
            + " context first, or use RUN curl/wget");
      }
      FileStager.Attrs attrs = attrs(in);
      String from = in.flags().get("from");
      boolean add = in.keyword().equals("ADD");
      if (from == null) {
        CopySource ctx = new CopySource(options.context(), ignore,
            "build context " + options.context());
        return factory.copy(in.text(), () -> ctx, null, sources, w.get(w.size() - 1), attrs, add);
      }
      return copyFrom(in, from, sources, w.get(w.size() - 1), attrs);
    }

    private Step copyFrom(Containerfile.Instruction in, String from, List<String> sources,
        String dest, FileStager.Attrs attrs) {
      String ref = expand(in, from, vars());
      var idx = findStage(ref);
      BuildState source = idx.isPresent() ? stage(idx.get()) : session.base(ref);
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
            expand(in, chown, vars()),
            dev.berth.internal.runtime.LayerView.readFile(lowers, "/etc/passwd").orElse(null),
            dev.berth.internal.runtime.LayerView.readFile(lowers, "/etc/group").orElse(null));
        uid = user.uid();
        gid = user.gid();
      }
      Integer mode = null;
      String chmod = in.flags().get("chmod");
      if (chmod != null) {
        if (!chmod.matches("[0-7]{1,4}")) {
          throw error(in, "--chmod=" + chmod + " is not an octal mode such as 755");
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
        throw error(in, "HEALTHCHECK takes NONE or CMD command, e.g. HEALTHCHECK CMD curl -f"
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
        throw error(in, "duration '" + text + "' must be a number with ms, s, m or h, e.g. 30s");
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
}
