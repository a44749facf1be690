package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.internal.store.FileTrees;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@link RootlessScenarioMain} (or another main) as the unprivileged user {@value
 * #USER} or {@value #FIXTURE_USER} (created when missing; useradd gives it a subordinate id range
 * on Debian) or, for the single-id setup, the
 * system user {@value #SINGLE_USER} (system users get no range), with the test class path copied
 * where it can read it (root's ~/.m2 is private), against the shared test registry. Skipped,
 * saying why, where this machine cannot do it.
 *
 * @param said what the scenario printed, by key
 * @param output everything the child JVM printed (log events included)
 * @param home the BERTH_HOME it used
 * @param uid the user's uid
 * @param work the temp dir with the class path copy
 */
record RootlessRun(Map<String, String> said, String output, Path home, int uid, Path work) implements AutoCloseable {
  static final String USER = "berth-rootless-test";
  static final String SINGLE_USER = "berth-single-test";
  /**
   * Like {@value #USER}, for {@link RootlessFixturesTest} alone, so that what runs as it after
   * that test is that test's.
   */
  static final String FIXTURE_USER = "berth-fixture-test";

  /** @param env extra environment for the child JVM (e.g. BERTH_ROOTFS) */
  static RootlessRun start(Map<String, String> env) throws Exception {
    return start(USER, RootlessScenarioMain.class, env, List.of());
  }

  /** Runs another scenario (a main class printing {@code key<TAB>value} lines, same arguments). */
  static RootlessRun start(Class<?> scenario, Map<String, String> env) throws Exception {
    return start(USER, scenario, env, List.of());
  }

  /**
   * Runs a scenario whose JVM starts inside these cgroups (v1 dirs, one per controller): a root
   * shell writes its pid into each cgroup.procs, then becomes the user with setpriv.
   */
  static RootlessRun startInCgroups(Class<?> scenario, List<Path> cgroups) throws Exception {
    return start(USER, scenario, Map.of(), cgroups);
  }

  /** As {@link #SINGLE_USER}, who has no subordinate ids. */
  static RootlessRun startSingle() throws Exception {
    return start(SINGLE_USER, RootlessScenarioMain.class, Map.of(), List.of());
  }

  /** Another scenario as {@link #SINGLE_USER}. */
  static RootlessRun startSingle(Class<?> scenario) throws Exception {
    return start(SINGLE_USER, scenario, Map.of(), List.of());
  }

  /** The scenarios' arguments after the registry host and BERTH_HOME: a root-owned dir. */
  private static RootlessRun start(String user, Class<?> scenario, Map<String, String> env, List<Path> cgroups)
      throws Exception {
    return start(user, env, List.of("busybox", "node"), scenario, cgroups,
        work -> List.of(Files.createDirectory(work.resolve("root-owned")).toString()));
  }

  /** What the child JVM is given after the registry host and BERTH_HOME. */
  interface MoreArgs {
    List<String> in(Path work) throws IOException;
  }

  /**
   * Runs {@code main} as {@code user} with arguments: the registry host (holding {@code
   * images}), a BERTH_HOME in the user's home, then {@code moreArgs} (given the temp dir).
   */
  static RootlessRun start(String user, Map<String, String> env, List<String> images, Class<?> main,
      MoreArgs moreArgs) throws Exception {
    return start(user, env, images, main, List.of(), moreArgs);
  }

  /** As above, the JVM started inside {@code cgroups} (none: where the caller is). */
  private static RootlessRun start(String user, Map<String, String> env, List<String> images,
      Class<?> main, List<Path> cgroups, MoreArgs moreArgs) throws Exception {
    assumeTrue(Linux.isRoot(), "needs root to create the test user and switch to it (run the tests as root)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux) to run a JVM as the test user");
    if (user.equals(SINGLE_USER)) {
      ensureSingleUser();
    } else {
      ensureUser(user);
    }
    int uid = Integer.parseInt(command("id", "-u", user).strip());
    assumeTrue(Linux.hasUserNamespaces(), "this kernel does not let unprivileged users create user namespaces");
    TestRegistry registry = Registries.plainWith(images.toArray(String[]::new));
    Path work = Files.createTempDirectory(Path.of("/tmp"), "berth-rootless-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path home = Path.of("/home", user, ".local/share", work.getFileName().toString());
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new ArrayList<>();
    if (!cgroups.isEmpty()) {
      StringBuilder join = new StringBuilder();
      cgroups.forEach(g -> join.append("echo $$ > '").append(g).append("/cgroup.procs' || exit 125; "));
      cmd.addAll(List.of("sh", "-c", join + "exec \"$@\"", "sh"));
    }
    cmd.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups",
        "env", "-i", "HOME=/home/" + user, "USER=" + user, "PATH=/usr/local/bin:/usr/bin:/bin"));
    env.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.addAll(List.of(java, "-cp", readableClassPath(work.resolve("cp")), main.getName(),
        registry.host(), home.toString()));
    cmd.addAll(moreArgs.in(work));
    RootlessRun run = new RootlessRun(Map.of(), "", home, uid, work);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("the scenario finished").isTrue();
      System.out.println("[" + main.getSimpleName() + " as " + user + " with " + env + "]\n" + out);
      assertThat(p.exitValue()).as(out).isZero();
      return new RootlessRun(RootlessScenarioMain.parse(out), out, home, uid, work);
    } catch (Exception | AssertionError e) {
      run.close();
      throw e;
    }
  }

  /** Removes the home and the class path copy (root may remove the subordinate ids' files). */
  @Override
  public void close() throws IOException {
    if (Files.exists(home)) {
      FileTrees.deleteRecursively(home);
    }
    FileTrees.deleteRecursively(work);
  }

  /** @return the first subordinate uid of {@code user} in /etc/subuid and how many it has */
  static long[] subordinateUids(String user) throws IOException {
    return Files.readAllLines(Path.of("/etc/subuid")).stream().map(l -> l.split(":"))
        .filter(f -> f.length == 3 && f[0].equals(user))
        .map(f -> new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])}).findFirst()
        .orElseThrow(() -> new IOException(user + " has no line in /etc/subuid"));
  }

  /**
   * @return "pid command" of each process whose real uid is {@code uid} or one of the {@code
   *     count} subordinate ids from {@code first}
   */
  static List<String> processesOf(int uid, long first, long count) throws IOException {
    List<String> found = new ArrayList<>();
    try (var procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : procs) {
        try {
          long real = Files.readAllLines(p.resolve("status")).stream().filter(l -> l.startsWith("Uid:"))
              .map(l -> Long.parseLong(l.split("\\s+")[1])).findFirst().orElse(-1L);
          if (real == uid || (real >= first && real < first + count)) {
            String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
            found.add(p.getFileName() + " " + cmd.strip());
          }
        } catch (IOException gone) {
          // exited while we looked
        }
      }
    }
    return found;
  }

  /** Creates {@value #USER} when missing (skips where it gets no subordinate ids). */
  static void ensureUser() throws Exception {
    ensureUser(USER);
  }

  private static void ensureUser(String user) throws Exception {
    if (new ProcessBuilder("id", "-u", user).start().waitFor() != 0) {
      command("useradd", "--create-home", "--shell", "/bin/sh", user);
    }
    assumeTrue(Files.readString(Path.of("/etc/subuid")).contains(user + ":"),
        "useradd gave " + user + " no subordinate ids (/etc/subuid); this VM's login.defs lacks SUB_UID_MIN");
  }

  /** A system user: useradd gives it no subordinate ids. */
  private static void ensureSingleUser() throws Exception {
    if (new ProcessBuilder("id", "-u", SINGLE_USER).start().waitFor() != 0) {
      command("useradd", "--system", "--create-home", "--home-dir", "/home/" + SINGLE_USER, "--shell", "/bin/sh", SINGLE_USER);
    }
    assumeTrue(!Files.readString(Path.of("/etc/subuid")).contains(SINGLE_USER + ":"),
        SINGLE_USER + " has subordinate ids here; the single-id setup cannot be tested");
  }

  private static String readableClassPath(Path dir) throws Exception {
    List<String> entries = new ArrayList<>();
    int i = 0;
    Files.createDirectories(dir);
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path src = Path.of(e);
      if (Files.exists(src)) {
        Path dst = dir.resolve((i++) + "-" + src.getFileName());
        command("cp", "-r", src.toString(), dst.toString());
        entries.add(dst.toString());
      }
    }
    command("chmod", "-R", "a+rX", dir.toString());
    return String.join(File.pathSeparator, entries);
  }

  private static String command(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }
}
