package dev.berth.internal.runtime;

import dev.berth.BerthException;
import dev.berth.RunOptions;
import dev.berth.internal.manifest.ImageConfig.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the container's process is: argv, environment, working directory and user, merged from
 * the image config and the run options by Docker's rules.
 *
 * @param argv entrypoint followed by cmd
 * @param env {@code NAME=value} in the order Docker sets them
 * @param workingDir absolute working directory
 * @param user the User string to resolve against the image's passwd
 */
public record ProcessSpec(List<String> argv, List<String> env, String workingDir, String user) {
  /** Docker's PATH when the image sets none. */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public ProcessSpec {
    argv = List.copyOf(argv);
    env = List.copyOf(env);
  }

  /**
   * Merges by Docker's rules: a command replaces CMD; an entrypoint replaces ENTRYPOINT and drops
   * the image's CMD unless a command is given too; options' env overrides the image's by name;
   * PATH defaults when missing; HOSTNAME is set; TERM=xterm with a tty.
   *
   * @throws BerthException when neither image nor options give a command
   */
  public static ProcessSpec resolve(ContainerConfig image, RunOptions opts, String hostname,
      String imageName) {
    List<String> entrypoint = opts.process().entrypoint() != null ? opts.process().entrypoint() : image.entrypoint();
    List<String> cmd = opts.process().command() != null ? opts.process().command()
        : opts.process().entrypoint() != null ? List.of() : image.cmd();
    List<String> argv = new ArrayList<>(entrypoint);
    argv.addAll(cmd);
    if (argv.isEmpty()) {
      throw new BerthException("no command specified for a container of " + imageName
          + ": the image has no Entrypoint or Cmd; pass one, e.g. image.run(\"sh\")");
    }
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("PATH", DEFAULT_PATH);
    vars.put("HOSTNAME", hostname);
    if (opts.process().tty()) {
      vars.put("TERM", "xterm");
    }
    for (String kv : image.env()) {
      int eq = kv.indexOf('=');
      vars.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
    }
    vars.putAll(opts.process().env());
    List<String> env = new ArrayList<>();
    vars.forEach((k, v) -> env.add(k + "=" + v));
    String cwd = opts.process().workingDir() != null ? opts.process().workingDir()
        : image.workingDir() != null && !image.workingDir().isEmpty() ? image.workingDir() : "/";
    String user = opts.process().user() != null ? opts.process().user() : image.user() == null ? "" : image.user();
    return new ProcessSpec(argv, env, cwd, user);
  }

  /** @return this spec with HOME added from the resolved user when the env has none */
  public ProcessSpec withHome(String home) {
    if (env.stream().anyMatch(e -> e.startsWith("HOME="))) {
      return this;
    }
    List<String> withHome = new ArrayList<>(env);
    withHome.add("HOME=" + home);
    return new ProcessSpec(argv, withHome, workingDir, user);
  }
}
