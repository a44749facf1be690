package dev.berth.internal.build;

import dev.berth.BerthException;
import dev.berth.BuildOptions;
import dev.berth.Platform;
import dev.berth.internal.engine.Engine;
import dev.berth.internal.store.ImageRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * effect as environment, and they are part of its cache key. What each instruction does is
 * {@link StageRun}'s.
 */
public final class ContainerfileBuild {
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

  BuildSession session() {
    return session;
  }

  BuildOptions options() {
    return options;
  }

  /** @return the context's .dockerignore rules, for COPY from the context */
  DockerIgnore ignore() {
    return ignore;
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

  /** The index of the stage named or numbered {@code nameOrIndex}. */
  java.util.Optional<Integer> findStage(String nameOrIndex) {
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
  List<String> split(Containerfile.Instruction in, String text, Map<String, String> vars) {
    try {
      return ShellWords.split(text, vars, file.escape());
    } catch (IllegalArgumentException e) {
      throw error(in, e.getMessage());
    }
  }

  /** {@code text} (part of {@code in}) expanded as one word, with errors naming the line. */
  String expand(Containerfile.Instruction in, String text, Map<String, String> vars) {
    try {
      return ShellWords.expand(text, vars, file.escape());
    } catch (IllegalArgumentException e) {
      throw error(in, e.getMessage());
    }
  }

  /** Declares ARG name[=default] into {@code scope}: the build-arg value wins over the default. */
  void declare(Containerfile.Instruction in, Map<String, String> scope,
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

  /** The state after stage {@code index}, built once, with the stages it starts from. */
  BuildState stage(int index) {
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
    StageRun run = new StageRun(this, state);
    for (Containerfile.Instruction in : stage.body()) {
      run.apply(in);
    }
    built.put(index, run.state());
    return run.state();
  }

  /** An error naming the file, line and instruction. */
  BerthException error(Containerfile.Instruction in, String what) {
    return new BerthException(fileName + " line " + in.line() + ": " + in.keyword() + ": " + what);
  }
}
