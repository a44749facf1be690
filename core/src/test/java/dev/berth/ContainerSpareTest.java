package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.cgroup.CgroupHost;
import dev.berth.internal.cgroup.Cgroups;
import dev.berth.internal.net.NetworkCapabilities;
import dev.berth.internal.net.NetworkSpec;
import dev.berth.testsupport.BusyboxEngine;
import dev.berth.testsupport.ChildJvm;
import dev.berth.testsupport.Registries;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts through the engine's spare helper (root on cgroup v1, see spare.c): the container is in
 * its own v1 and v2 cgroups and its monitor is not, limits, stats and pause hold, and neither
 * closing the engine nor killing its JVM leaves a spare behind. Real cgroups, no mocks.
 */
class ContainerSpareTest {
  @TempDir static Path home;
  static BusyboxEngine engine;
  static Image busybox;

  @BeforeAll
  static void start() throws Exception {
    engine = BusyboxEngine.start(home, "spare helpers run as root");
    assumeTrue(Cgroups.detect().spareJoinsV1(), "a spare joins cgroups ahead of time only as root on cgroup v1 hierarchies");
    busybox = engine.busybox();
    for (int i = 0; i < 2; i++) {
      try (Container c = busybox.run("true")) { // the usual way; the second starts the first spare
        c.waitFor();
      }
    }
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  /** The helpers in spare mode among the children of a JVM. */
  static Stream<ProcessHandle> spares(ProcessHandle jvm) {
    return jvm.children().filter(p -> isSpare(p));
  }

  private static boolean isSpare(ProcessHandle p) {
    return p.isAlive() && p.info().arguments().map(a -> Arrays.asList(a).contains("--spare")).orElse(false);
  }

  /** Whether the running container's monitor (its init's parent) was a spare. */
  private static boolean startedBySpare(Container c) {
    return monitor(c).map(ContainerSpareTest::isSpare).orElse(false);
  }

  private static java.util.Optional<ProcessHandle> monitor(Container c) {
    return ProcessHandle.of(c.inspect().pid()).flatMap(ProcessHandle::parent);
  }

  private static List<String> cgroupLines(long pid) throws Exception {
    return Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
  }

  @Test
  void viaSpare_containerIsInItsV1AndV2Cgroups_monitorIsNot() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().memory(64L << 20).command("sleep", "30").build())) {
      assertThat(startedBySpare(c)).as("monitor of the second run is the spare").isTrue();
      CgroupHost host = Cgroups.detect();
      List<String> lines = cgroupLines(c.inspect().pid());
      for (String controller : List.of("cpu", "cpuacct", "memory", "pids", "freezer")) {
        if (host.v1Mounts().containsKey(controller)) {
          assertThat(lines).as("v1 %s", controller).anySatisfy(l -> {
            assertThat(Arrays.asList(l.split(":")[1].split(","))).contains(controller);
            assertThat(l).endsWith("/berth/" + c.id());
          });
        }
      }
      if (host.v2Parent().isPresent()) {
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("0::").endsWith("/berth/" + c.id()));
      }
      assertThat(cgroupLines(monitor(c).orElseThrow().pid())).noneMatch(l -> l.contains(c.id()));
      assertThat(c.stats().pids()).as("the zygote is reaped, not counted").isEqualTo(1);
    }
  }

  @Test
  void viaSpare_memoryLimit_oomKillsWith137() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().memory(20L << 20).memorySwap(20L << 20)
        .command("sh", "-c", "sleep 0.5; dd if=/dev/zero of=/dev/null bs=100M count=1").build())) {
      assertThat(startedBySpare(c)).isTrue();
      assertThat(c.waitFor()).isEqualTo(137);
      assertThat(c.inspect().oomKilled()).isTrue();
    }
  }

  @Test
  void viaSpare_pidsLimit_stopsAForkLoop() throws Exception {
    LimitChecks.assertStoppedByPidsLimit(busybox, "sleep 0.5; ",
        c -> assertThat(startedBySpare(c)).isTrue());
  }

  @Test
  void viaSpare_statsAndPause() throws Exception {
    LimitChecks.assertStatsAndPause(busybox, c -> assertThat(startedBySpare(c)).isTrue(),
        c -> assertThat(monitor(c).orElseThrow().isAlive()).isTrue());
  }

  @Test
  void viaSpare_stdinAndOutputFlow() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().stdinOpen(true).command("sh", "-c", "read x; echo got $x").build())) {
      c.getOutputStream().write("hello\n".getBytes());
      c.getOutputStream().close();
      assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("got hello\n");
      assertThat(c.waitFor()).isZero();
    }
  }

  /**
   * The spare's zygote makes the network namespace ahead (spare.c): each container with a
   * network of its own gets a new one with only lo (up), never the host's or another's, and one on
   * the host network gets the host's, as without a spare.
   */
  @Test
  void viaSpare_ownNetworkIsNewEachTime_hostNetworkIsTheHosts() throws Exception {
    String host = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    String print = "readlink /proc/self/ns/net; cat /sys/class/net/lo/flags; ls /sys/class/net; echo end; sleep 30";
    List<Container> running = new ArrayList<>();
    try {
      List<String> seen = new ArrayList<>();
      for (String network : List.of("none", "private", "none", "host")) {
        Thread.sleep(300); // the refill started by the last run is ready
        Container c = busybox.run(RunOptions.builder().network(network).command("sh", "-c", print).build());
        running.add(c);
        assertThat(startedBySpare(c)).as("%s started by a spare", network).isTrue();
        BufferedReader out = new BufferedReader(new InputStreamReader(c.getInputStream()));
        String netns = out.readLine();
        assertThat(out.readLine()).as("%s: lo is up (IFF_UP | IFF_LOOPBACK)", network).isEqualTo("0x9");
        List<String> links = new ArrayList<>();
        for (String l; (l = out.readLine()) != null && !l.equals("end");) {
          links.add(l);
        }
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + monitor(c).orElseThrow().pid() + "/ns/net")).toString())
            .as("the monitor stays in the host's namespace").isEqualTo(host);
        if (network.equals("host")) {
          assertThat(netns).isEqualTo(host);
          assertThat(links).contains("lo").hasSizeGreaterThan(1);
        } else {
          assertThat(netns).startsWith("net:[").isNotEqualTo(host).isNotIn(seen);
          assertThat(links).isEqualTo(network.equals("none") ? List.of("lo") : List.of("lo", "tap0"));
          seen.add(netns);
        }
      }
    } finally {
      for (Container c : running) {
        c.close();
      }
    }
  }

  /** The slirp4netns processes a monitor runs (its children). */
  private static List<ProcessHandle> slirps(ProcessHandle monitor) {
    return monitor.children().filter(p -> p.isAlive() && p.info().command().orElse("").endsWith("slirp4netns")).toList();
  }

  /** Runs two containers on the private network: the pool's spares become the kind that starts slirp4netns ahead. */
  private static void lastClaimsWantedThePrivateNetwork() throws Exception {
    for (int i = 0; i < 2; i++) {
      try (Container c = busybox.run("true")) {
        c.waitFor();
      }
      Thread.sleep(300); // the refill this run started is ready
    }
  }

  /**
   * On the private network, a spare's slirp4netns was started ahead, for its zygote's network
   * namespace: the container has tap0 and its default route at its first instruction, reaches
   * the host's own address through it, and its container dir has the log.
   */
  @Test
  void viaSpare_privateNetwork_usesTheSlirp4netnsStartedAhead_andReachesOut() throws Exception {
    InetAddress hostAddress = assumeSlirpAndAHostAddress();
    lastClaimsWantedThePrivateNetwork();
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("0.0.0.0"))) {
      Container c = helloTo(busybox, hostAddress, server, "ip route; ");
      try (c) {
        assertThat(slirp4netnsOfItsSpare(c)).as("started for the zygote's namespace, before the container's process existed")
            .contains("--netns-type=path /proc/").doesNotContain("/proc/" + c.inspect().pid() + "/ns/net");
        assertThat(received(server)).isEqualTo("hello");
        BufferedReader out = new BufferedReader(new InputStreamReader(c.getInputStream()));
        List<String> said = new ArrayList<>();
        for (String l; (l = out.readLine()) != null && !l.startsWith("nc=");) {
          said.add(l.strip());
        }
        assertThat(said).contains("default via 10.0.2.2 dev tap0");
        Path log = home.resolve("containers").resolve(c.id()).resolve("slirp4netns.log");
        assertThat(log).as("the log started ahead, named in the container dir").isNotEmptyFile();
      }
    }
  }

  /**
   * A spare's slirp4netns killed from outside while the spare waits: the container's start runs
   * its own slirp4netns, for the container's process, and the network works.
   */
  @Test
  void viaSpare_slirp4netnsKilledWhileTheSpareWaits_theStartRunsItsOwn() throws Exception {
    InetAddress hostAddress = assumeSlirpAndAHostAddress();
    inOtherEngine("spare-slirp-killed", (image, other) -> {
      for (int i = 0; i < 3; i++) {
        try (Container c = image.run("true")) {
          c.waitFor();
        }
        Thread.sleep(300); // the refill this run started is ready
      }
      List<ProcessHandle> ahead = spares(ProcessHandle.current()).filter(p -> args(p).contains(other.toString()))
          .flatMap(p -> slirps(p).stream()).toList();
      assertThat(ahead).as("the engine's spares' slirp4netns").hasSize(2);
      ahead.forEach(ProcessHandle::destroyForcibly);
      Thread.sleep(200); // dead (the spares reap them at their claim)
      try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("0.0.0.0"))) {
        Container c = helloTo(image, hostAddress, server, "");
        try (c) {
          assertThat(slirp4netnsOfItsSpare(c)).as("started for the container's process").contains("/proc/" + c.inspect().pid() + "/ns/net");
          assertThat(received(server)).isEqualTo("hello");
        }
      }
    });
  }

  /**
   * A spare that started slirp4netns ahead, claimed for a container with no network or the
   * host's (an engine whose earlier containers were all on the private network has no other
   * kind): the container starts in a namespace without it, and the slirp4netns ends.
   */
  @Test
  void viaSpare_otherNetworkThanPrivate_endsTheSlirp4netnsStartedAhead() throws Exception {
    assumeTrue(NetworkCapabilities.slirp().isPresent(), "needs slirp4netns and access to /dev/net/tun: "
        + NetworkCapabilities.probe().outbound().get(NetworkSpec.Mode.PRIVATE));
    for (String network : List.of("none", "host")) {
      inOtherEngine("spare-slirp", (image, other) -> {
        for (int i = 0; i < 3; i++) {
          try (Container c = image.run("true")) {
            c.waitFor();
          }
          Thread.sleep(300); // the refill this run started is ready
        }
        Container c = image.run(RunOptions.builder().network(network).command("sh", "-c", "ls /sys/class/net; echo end; sleep 30").build());
        try (c) {
          assertThat(startedBySpare(c)).isTrue();
          BufferedReader out = new BufferedReader(new InputStreamReader(c.getInputStream()));
          List<String> links = new ArrayList<>();
          for (String l; (l = out.readLine()) != null && !l.equals("end");) {
            links.add(l);
          }
          if (network.equals("none")) {
            assertThat(links).isEqualTo(List.of("lo"));
          } else {
            assertThat(links).doesNotContain("tap0").hasSizeGreaterThan(1);
          }
          ProcessHandle monitor = monitor(c).orElseThrow();
          awaitTrue(() -> slirps(monitor).isEmpty());
          assertThat(slirps(monitor)).as("%s: the spare's slirp4netns ended", network).isEmpty();
        }
      });
    }
  }

  /**
   * The pool keeps spares of each kind its recent claims wanted: two of each while runs
   * alternate between the private network and none, and once only private runs follow, the
   * others end.
   */
  @Test
  void alternatingNetworks_keepBothKindsOfSpare_aSteadyPrivateWorkloadEndsTheOthers() throws Exception {
    assumeTrue(NetworkCapabilities.slirp().isPresent(), "needs slirp4netns and access to /dev/net/tun: "
        + NetworkCapabilities.probe().outbound().get(NetworkSpec.Mode.PRIVATE));
    Thread.sleep(500); // the shared engine's spares, started by the last test's run, are up by now
    long sharedPlain = spares(ProcessHandle.current()).filter(p -> !args(p).contains("--slirp")).count();
    inOtherEngine("spare-kinds", (image, other) -> {
      java.util.function.LongSupplier withSlirp = () -> spares(ProcessHandle.current())
          .filter(p -> args(p).contains("--slirp") && args(p).contains(other.toString())).count();
      java.util.function.LongSupplier plain = () -> spares(ProcessHandle.current())
          .filter(p -> !args(p).contains("--slirp")).count() - sharedPlain;
      for (int i = 0; i < 8; i++) {
        try (Container c = image.run(RunOptions.builder().network(i % 2 == 0 ? "none" : "private").command("true").build())) {
          c.waitFor();
        }
        Thread.sleep(200);
      }
      awaitTrue(() -> withSlirp.getAsLong() == 2 && plain.getAsLong() == 2);
      assertThat(new long[] {withSlirp.getAsLong(), plain.getAsLong()}).as("spares with slirp4netns, without").containsExactly(2, 2);
      for (int i = 0; i < 33; i++) { // SparePool.RECENT_CLAIMS and one
        try (Container c = image.run("true")) {
          c.waitFor();
        }
      }
      awaitTrue(() -> withSlirp.getAsLong() == 2 && plain.getAsLong() == 0);
      assertThat(new long[] {withSlirp.getAsLong(), plain.getAsLong()}).as("spares with slirp4netns, without").containsExactly(2, 0);
    });
  }

  /** What a test does with busybox in an engine of its own (its home, a temp dir). */
  private interface OtherEngineBody {
    void run(Image image, Path home) throws Exception;
  }

  /** Runs body with busybox pulled into an engine of its own; closes it and removes its home after. */
  private static void inOtherEngine(String prefix, OtherEngineBody body) throws Exception {
    Path other = Files.createTempDirectory(home.getParent(), prefix);
    try (Berth berth = Registries.engine(other, Registries.plainWith("busybox"))) {
      body.run(berth.pull("busybox"), other);
    } finally {
      try (Stream<Path> files = Files.walk(other)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String args(ProcessHandle p) {
    return String.join(" ", p.info().arguments().orElse(new String[0]));
  }

  /** The host's own address for a container to reach through slirp4netns; skips the test without slirp4netns or one. */
  private static InetAddress assumeSlirpAndAHostAddress() throws Exception {
    assumeTrue(NetworkCapabilities.slirp().isPresent(), "needs slirp4netns and access to /dev/net/tun: "
        + NetworkCapabilities.probe().outbound().get(NetworkSpec.Mode.PRIVATE));
    InetAddress hostAddress = nonLoopbackAddress();
    assumeTrue(hostAddress != null, "needs an IPv4 address of this host other than loopback (slirp4netns keeps 127.0.0.1 out of reach)");
    return hostAddress;
  }

  /** Runs, on the private network, a container that runs first, then sends "hello" to server on the host's address, then sleeps. */
  private static Container helloTo(Image image, InetAddress host, ServerSocket server, String first) throws Exception {
    server.setSoTimeout(10_000);
    return image.run(RunOptions.builder().command("sh", "-c", first + "echo hello | nc -w 2 "
        + host.getHostAddress() + " " + server.getLocalPort() + "; echo nc=$?; sleep 30").build());
  }

  /** The arguments of the one slirp4netns of a container started by a spare (its monitor). */
  private static String slirp4netnsOfItsSpare(Container c) {
    assertThat(startedBySpare(c)).isTrue();
    List<ProcessHandle> slirp = slirps(monitor(c).orElseThrow());
    assertThat(slirp).as("the monitor's slirp4netns").hasSize(1);
    return String.join(" ", slirp.get(0).info().arguments().orElseThrow());
  }

  /** The first line a container sent server. */
  private static String received(ServerSocket server) throws Exception {
    try (Socket in = server.accept()) {
      return new BufferedReader(new InputStreamReader(in.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
  }

  private static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface i : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!i.isUp() || i.isLoopback()) {
        continue;
      }
      for (InetAddress a : java.util.Collections.list(i.getInetAddresses())) {
        if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return a;
        }
      }
    }
    return null;
  }

  /**
   * Starting again right after the wait returns, forty times: each run is in its own memory and
   * pids cgroups (whatever the last run's monitor still removes must not take the new run's),
   * and close leaves none.
   */
  @Test
  void startAgainRightAfterTheWait_eachRunIsInItsCgroups_closeLeavesNone() throws Exception {
    Container c = busybox.run(RunOptions.builder().memory(64L << 20).pidsLimit(20).command("sh", "-c",
        "h=$(hostname); grep -q \":memory:/berth/$h\" /proc/self/cgroup && grep -q \":pids:/berth/$h\" /proc/self/cgroup")
        .build()); // its host name is its id's first 12 characters
    String id = c.id();
    try {
      for (int i = 0; i < 40; i++) {
        assertThat(c.waitFor()).as("run %d in its memory and pids cgroups", i).isZero();
        c.start();
      }
      c.waitFor();
    } finally {
      c.close();
    }
    assertThat(cgroupDirsNamed(id)).isEmpty();
  }

  @Test
  void spareKilledFromOutside_nextRunStartsAFreshHelper_andItsDirsGo() throws Exception {
    Thread.sleep(500); // the shared engine's spare, started by the last test's run, is up by now
    java.util.Set<Long> others = spares(ProcessHandle.current()).map(ProcessHandle::pid)
        .collect(java.util.stream.Collectors.toSet());
    try (Container c = busybox.run("true")) { // takes the shared engine's spare; the next one is ours to kill
      c.waitFor();
    }
    awaitTrue(() -> spares(ProcessHandle.current()).anyMatch(p -> !others.contains(p.pid())));
    ProcessHandle spare = spares(ProcessHandle.current()).filter(p -> !others.contains(p.pid())).findFirst()
        .orElseThrow();
    Thread.sleep(300); // ready: its zygote sits in its dirs
    // its dirs are in its arguments
    List<Path> dirsBefore = spare.info().arguments().stream().flatMap(Arrays::stream)
        .filter(a -> a.startsWith("/sys/fs/cgroup/")).map(Path::of).toList();
    assertThat(dirsBefore).isNotEmpty();
    spare.destroyForcibly(); // SIGKILL: it cannot remove its dirs itself
    spare.onExit().get();
    try (Container c = busybox.run(RunOptions.command("sh", "-c", "echo fine"))) {
      assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("fine\n");
      assertThat(c.waitFor()).isZero();
    }
    awaitTrue(() -> dirsBefore.stream().noneMatch(Files::exists));
    assertThat(dirsBefore).noneMatch(Files::exists);
  }

  @Test
  void concurrentRuns_someThroughTheSpare_allWork() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<String>> runs = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        int n = i;
        runs.add(pool.submit(() -> {
          try (Container c = busybox.run(RunOptions.command("sh", "-c", "echo run " + n))) {
            String out = new String(c.getInputStream().readAllBytes());
            assertThat(c.waitFor()).isZero();
            return out;
          }
        }));
      }
      for (int i = 0; i < runs.size(); i++) {
        assertThat(runs.get(i).get()).isEqualTo("run " + i + "\n");
      }
    } finally {
      pool.shutdown();
    }
    assertThat(engine.berth().containers(true)).isEmpty();
    assertThat(containerCgroupDirs()).isEmpty();
  }

  @Test
  void engineClose_leavesNoSpare() throws Exception {
    long me = ProcessHandle.current().pid();
    Thread.sleep(500); // the shared engine's spare, started by the last test's run, is up by now
    // other engines of this JVM (fixture engines live as long as it) may hold spares too
    List<Long> shared = spares(ProcessHandle.current()).map(ProcessHandle::pid).sorted().toList();
    List<Path> sharedDirs = spareDirs(me);
    inOtherEngine("spare-close", (image, other) -> {
      for (int i = 0; i < 3; i++) {
        try (Container c = image.run("true")) {
          c.waitFor();
        }
        if (i == 1) {
          awaitTrue(() -> spares(ProcessHandle.current()).count() == shared.size() + 1);
          assertThat(spares(ProcessHandle.current()).count()).as("one spare after the second start").isEqualTo(shared.size() + 1);
        }
      }
      awaitTrue(() -> spares(ProcessHandle.current()).count() == shared.size() + 2);
      assertThat(spares(ProcessHandle.current()).count()).as("two from the third start on").isEqualTo(shared.size() + 2);
    });
    assertThat(spares(ProcessHandle.current()).map(ProcessHandle::pid).sorted().toList()).isEqualTo(shared);
    assertThat(spareDirs(me)).containsExactlyInAnyOrderElementsOf(sharedDirs);
  }

  @Test
  void killedJvm_leavesNoSpareProcessOrCgroup() throws Exception {
    Process child = ChildJvm.start(SpareHolderMain.class, home.toString(), Registries.plainWith("busybox").host());
    long sparePid;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("spare ") && !line.equals("no spare")) {
        // the child's log
      }
      assertThat(line).as("the child JVM's spare").startsWith("spare ");
      sparePid = Long.parseLong(line.substring(6));
      assertThat(spareDirs(child.pid())).isNotEmpty();
      child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no engine close
    }
    awaitTrue(() -> ProcessHandle.of(sparePid).map(p -> !p.isAlive()).orElse(true) && spareDirs(child.pid()).isEmpty());
    assertThat(ProcessHandle.of(sparePid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(spareDirs(child.pid())).isEmpty();
  }

  /** Spare cgroup dirs of a JVM: spare-<pid>-<n> under Berth's v1 parents. */
  static List<Path> spareDirs(long jvmPid) {
    try (Stream<Path> s = Files.find(Path.of("/sys/fs/cgroup"), 3,
        (p, a) -> p.getFileName() != null && p.getFileName().toString().startsWith("spare-" + jvmPid + "-"))) {
      return s.toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Cgroup dirs of this engine's containers (64-hex names) still there. */
  private static List<Path> containerCgroupDirs() throws Exception {
    List<String> ids = engine.berth().containers(true).stream().map(ContainerInfo::id).toList();
    try (Stream<Path> s = Files.find(Path.of("/sys/fs/cgroup"), 3,
        (p, a) -> p.getParent() != null && p.getParent().getFileName() != null
            && p.getParent().getFileName().toString().equals("berth") && ids.contains(p.getFileName().toString()))) {
      return s.toList();
    }
  }

  private static List<Path> cgroupDirsNamed(String id) throws Exception {
    try (Stream<Path> s = Files.find(Path.of("/sys/fs/cgroup"), 3,
        (p, a) -> p.getFileName() != null && p.getFileName().toString().equals(id))) {
      return s.toList();
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }
}
