package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.BerthException;
import dev.berth.ContainerStartException;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.PortMapping;
import dev.berth.internal.net.Network;
import dev.berth.internal.net.NetworkCapabilities;
import dev.berth.internal.net.NetworkSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container networking end to end, as root, with busybox: published ports served by the
 * monitor, the network modes, user-defined networks. Traffic goes only to loopback and to the
 * addresses of bridges and containers these tests create.
 */
@org.junit.jupiter.api.extension.ExtendWith(dev.berth.testsupport.NoLeakedChildren.class)
class ContainerNetworkTest {
  private static final String HTTPD = "mkdir -p /www && echo hello-from-$(hostname) > /www/index.html && exec httpd -f -p 8080 -h /www";

  @TempDir static Path tmp;
  private static ContainerHarness harness;
  private final List<LaunchedContainer> started = new ArrayList<>();
  private final List<String> networks = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    harness = new ContainerHarness(tmp);
  }

  @AfterEach
  void stopContainersAndCheckForLeaks() throws Exception {
    for (LaunchedContainer c : started) {
      ProcessHandle.of(c.hostPid()).ifPresent(ProcessHandle::destroyForcibly);
      c.waitFor(Duration.ofSeconds(10));
      harness.networks().detach(c.files().dir().getFileName().toString());
    }
    for (String n : networks) harness.networks().remove(n, true);
    assertThat(harness.leftoverMounts()).isEmpty();
  }

  private LaunchedContainer start(NetworkSpec net, String hostname, String script) throws IOException {
    LaunchedContainer c = harness.start(harness.spec("sh", "-c", script).hostname(hostname).build(), net);
    started.add(c);
    return c;
  }

  private Network network() {
    String name = "t" + UUID.randomUUID().toString().substring(0, 8);
    networks.add(name);
    return harness.networks().create(name);
  }

  @Test
  void publish_fixedHostPort_reachesHttpdInContainer() throws Exception {
    int port = freePort();
    start(NetworkSpec.privateNetwork(NetworkSpec.tcp(port, 8080)), "web", HTTPD);
    assertThat(httpGet(port)).contains("hello-from-web");
  }

  @Test
  void publish_hostPortZero_reportsTheBoundPortAndServesIt() throws Exception {
    LaunchedContainer c = start(NetworkSpec.privateNetwork(NetworkSpec.tcp(0, 8080)), "web", HTTPD);
    PortMapping p = c.ports().get(0);
    assertThat(p.hostPort()).isPositive();
    assertThat(p.containerPort()).isEqualTo(8080);
    assertThat(httpGet(p.hostPort())).contains("hello-from-web");
  }

  @Test
  void exec_serverStartedByExec_isReachableThroughThePublishedPort() throws Exception {
    LaunchedContainer c = start(NetworkSpec.privateNetwork(NetworkSpec.tcp(0, 8080)), "web", "exec sleep 100");
    LaunchedContainer server = harness.exec(c, RuntimeProcess.builder("sh", "-c", HTTPD).env("PATH=/bin").build());
    try {
      assertThat(httpGet(c.ports().get(0).hostPort())).contains("hello-from-web");
    } finally {
      ProcessHandle.of(c.hostPid()).ifPresent(ProcessHandle::destroyForcibly); // its pid namespace takes the exec along
      assertThat(server.waitFor(Duration.ofSeconds(10))).isEqualTo(137);
    }
  }

  @Test
  void tty_withPublishedPort_servesAndAnswersTheControlSocket() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("sh", "-c", HTTPD).hostname("web").tty(true).build(),
        NetworkSpec.privateNetwork(NetworkSpec.tcp(0, 8080)));
    started.add(c);
    CompletableFuture<String> out = ContainerHarness.drain(c.stdout());
    assertThat(httpGet(c.ports().get(0).hostPort())).contains("hello-from-web");
    c.resize(40, 100); // the control socket and the proxy share the monitor's fd registry
    c.signal(9);
    assertThat(c.waitFor(Duration.ofSeconds(10))).isEqualTo(137);
    out.get(10, TimeUnit.SECONDS);
  }

  @Test
  void publish_largeUpload_isRelayedWhole() throws Exception {
    // stdin open: nc half-closes its side at the end of its stdin, which must not come before ours
    LaunchedContainer c = harness.start(harness.spec("sh", "-c", "nc -l -p 7000 | wc -c").stdinOpen(true).build(),
        NetworkSpec.privateNetwork(NetworkSpec.tcp(0, 7000)));
    started.add(c);
    CompletableFuture<String> out = ContainerHarness.drain(c.stdout());
    byte[] data = new byte[8 << 20];
    try (Socket s = connectWhenServing(c.ports().get(0).hostPort())) {
      s.getOutputStream().write(data);
      s.shutdownOutput(); // half-close: nc sees end-of-file, and wc prints
    }
    assertThat(out.get(10, TimeUnit.SECONDS).trim()).isEqualTo(Integer.toString(data.length));
  }

  @Test
  void publish_udp_echoesThroughThePublishedPort() throws Exception {
    Path echo = udpEcho();
    LaunchedContainer c = harness.start(harness.spec("/udp-echo", "5353")
        .mount(RuntimeSpec.Mount.bind(echo, "/udp-echo", true)).build(), NetworkSpec.privateNetwork(NetworkSpec.udp(0, 5353)));
    started.add(c);
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(300);
      assertThat(udpRoundTrip(s, c.ports().get(0).hostPort(), "ping")).isEqualTo("ping");
    }
  }

  @Test
  void publish_portInUse_failsNamingTheAddressAndTheHolder() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> start(NetworkSpec.privateNetwork(NetworkSpec.tcp(held.getLocalPort(), 80)), "web", "true"))
          .isInstanceOf(ContainerStartException.class)
          .hasMessageContaining("127.0.0.1:" + held.getLocalPort())
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
    }
  }

  @Test
  void publish_afterTheContainerExits_nothingListens() throws Exception {
    LaunchedContainer c = start(NetworkSpec.privateNetwork(NetworkSpec.tcp(0, 8080)), "web", "true");
    assertThat(c.waitFor()).isZero();
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), c.ports().get(0).hostPort()).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void private_withSlirp_hasARouteOutAtItsFirstInstruction_butNotToTheHostsLoopback() throws Exception {
    assumeTrue(NetworkCapabilities.slirp().isPresent(), "needs slirp4netns and access to /dev/net/tun: "
        + NetworkCapabilities.probe().outbound().get(NetworkSpec.Mode.PRIVATE));
    try (ServerSocket hostOnly = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      LaunchedContainer c = start(NetworkSpec.privateNetwork(), "box",
          // no waiting: the container execs once slirp4netns has configured tap0 (apt-get update
          // resolves a name at once)
          "ip route; nc -w 2 10.0.2.2 " + hostOnly.getLocalPort() + " </dev/null; echo nc=$?");
      String out = new String(c.stdout().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(out).contains("default via 10.0.2.2 dev tap0").contains("nc=1");
    }
  }

  @Test
  void none_hasOnlyLoopbackAndNoRoute() throws Exception {
    ContainerHarness.Result r = harness.run(b -> b, "sh", "-c", "cat /proc/net/dev; cat /proc/net/route");
    assertThat(interfaces(r.stdout())).containsExactly("lo");
    assertThat(r.stdout()).doesNotContain("00000000\t"); // no default route
  }

  @Test
  void host_seesTheHostsInterfaces() throws Exception {
    LaunchedContainer c = start(NetworkSpec.host(), "box", "cat /proc/net/dev");
    String out = new String(c.stdout().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(interfaces(out)).containsExactlyInAnyOrderElementsOf(interfaces(Files.readString(Path.of("/proc/net/dev"))));
  }

  @Test
  void joined_reachesTheOtherContainerOnLocalhost() throws Exception {
    LaunchedContainer web = start(NetworkSpec.none(), "web", HTTPD);
    LaunchedContainer client = start(NetworkSpec.joining(web.hostPid()), "client",
        "for i in $(seq 50); do wget -qO- http://127.0.0.1:8080/ && exit 0; sleep 0.1; done; exit 1");
    CompletableFuture<String> out = ContainerHarness.drain(client.stdout());
    assertThat(client.waitFor()).isZero();
    assertThat(out.get()).contains("hello-from-web");
  }

  @Test
  void joined_containerThatIsGone_failsNamingItsNamespace() throws Exception {
    LaunchedContainer gone = start(NetworkSpec.none(), "gone", "true");
    gone.waitFor();
    assertThatThrownBy(() -> start(NetworkSpec.joining(gone.hostPid()), "client", "true"))
        .isInstanceOf(ContainerStartException.class)
        .hasMessageContaining("stage network")
        .hasMessageContaining("/proc/" + gone.hostPid() + "/ns/net");
  }

  @Test
  void bridge_unknownNetwork_failsNamingIt() {
    assertThatThrownBy(() -> start(NetworkSpec.bridge("nosuch", List.of()), "web", "true"))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("No such network: nosuch does not exist");
  }

  @Test
  void bridge_launcherWithoutNetworks_failsSayingHowToMakeOne() throws Exception {
    HelperLauncher bare = new HelperLauncher(new HelperBinary(tmp.resolve("bin")).path(), Duration.ofSeconds(20));
    RuntimeSpec spec = harness.spec("true").build();
    assertThatThrownBy(() -> bare.launch(spec, ((RuntimeSpec.Overlay) spec.rootfs()).upper().getParent(), NetworkSpec.bridge("n", List.of())))
        .isInstanceOf(UnsupportedEnvironmentException.class)
        .hasMessageContaining("new Networks(home)");
  }

  @Test
  void bridge_containersReachEachOtherByName() throws Exception {
    Network net = network();
    start(NetworkSpec.bridge(net.name(), List.of()), "web", HTTPD);
    LaunchedContainer client = start(NetworkSpec.bridge(net.name(), List.of()), "client",
        "for i in $(seq 50); do wget -qO- http://web:8080/ && exit 0; sleep 0.1; done; exit 1");
    CompletableFuture<String> out = ContainerHarness.drain(client.stdout());
    assertThat(client.waitFor()).isZero();
    assertThat(out.get()).contains("hello-from-web");
  }

  @Test
  void bridge_alias_reachesTheContainer() throws Exception {
    Network net = network();
    start(NetworkSpec.bridge(net.name(), List.of("db")), "web", HTTPD);
    LaunchedContainer client = start(NetworkSpec.bridge(net.name(), List.of()), "client",
        "for i in $(seq 50); do wget -qO- http://db:8080/ && exit 0; sleep 0.1; done; exit 1");
    assertThat(client.waitFor()).isZero();
  }

  @Test
  void bridge_runningContainer_learnsTheNameOfOneThatJoinsLater() throws Exception {
    Network net = network();
    LaunchedContainer first = start(NetworkSpec.bridge(net.name(), List.of()), "first",
        "for i in $(seq 100); do grep -q later /etc/hosts && exit 0; sleep 0.1; done; exit 1");
    start(NetworkSpec.bridge(net.name(), List.of()), "later", "sleep 30");
    assertThat(first.waitFor()).isZero();
  }

  @Test
  void bridge_reachesAServerOnTheGateway() throws Exception {
    Network net = network();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(net.gateway(), 0));
      start(NetworkSpec.bridge(net.name(), List.of()), "client", "echo from-container | nc " + net.gateway() + " " + server.getLocalPort());
      server.setSoTimeout(10_000);
      try (Socket s = server.accept()) {
        assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from-container\n");
        assertThat(s.getInetAddress().getHostAddress()).startsWith(net.gateway().substring(0, net.gateway().lastIndexOf('.')));
      }
    }
  }

  @Test
  void bridge_publishedPort_reachesTheContainer() throws Exception {
    Network net = network();
    LaunchedContainer c = start(NetworkSpec.bridge(net.name(), List.of(), NetworkSpec.tcp(0, 8080)), "web", HTTPD);
    assertThat(httpGet(c.ports().get(0).hostPort())).contains("hello-from-web");
  }

  @Test
  void bridge_afterRemoval_noVethBridgeOrNatChainIsLeft() throws Exception {
    Network net = network();
    LaunchedContainer c = start(NetworkSpec.bridge(net.name(), List.of()), "box", "true");
    String veth = harness.networks().get(net.name()).orElseThrow().endpoints().get(0).veth();
    assertThat(c.waitFor()).isZero();
    harness.networks().detach(c.files().dir().getFileName().toString());
    assertThat(Path.of("/sys/class/net", veth)).doesNotExist();
    assertThat(Path.of("/sys/class/net", net.bridge())).exists(); // the network stays until removed
    harness.networks().remove(net.name(), false);
    networks.remove(net.name());
    assertThat(Path.of("/sys/class/net", net.bridge())).doesNotExist();
    assertThat(nftBerthTable()).doesNotContain("nat-" + net.bridge());
  }

  @Test
  void rootless_publishedPort_reachesTheContainer() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux) to run the helper as nobody");
    Path dir = RootlessRun.prepare(tmp, "rootless-net");
    RuntimeSpec spec = RuntimeSpec.builder(new RuntimeSpec.Overlay(List.of(harness.lower()), dir.resolve("upper"), dir.resolve("work")),
            "sh", "-c", HTTPD).env("PATH=/bin").hostname("rootless").namespaces(RootlessRun.NAMESPACES).build();
    NetworkSpec loOnly = new NetworkSpec(NetworkSpec.Mode.NONE, null, 0, List.of(), List.of(NetworkSpec.tcp(0, 8080)));
    HelperLauncher.writeSeccomp(spec.security(), new ContainerFiles(dir));
    Files.write(dir.resolve("helper.config"), HelperConfig.encode(spec, new ContainerFiles(dir), MonitorOptions.ATTACHED, loOnly, List.of()));
    Process p = RootlessRun.start(tmp, dir);
    try {
      String status = RootlessRun.statusLine(p);
      assumeTrue(!status.contains("error spawn"), "this kernel does not let unprivileged users create user namespaces: " + status);
      assertThat(status).startsWith("BERTH1 started");
      int port = PortsFile.read(dir.resolve("ports")).get(0).hostPort();
      assertThat(httpGet(port)).contains("hello-from-rootless");
    } finally {
      String status = RootlessRun.statusLine(p);
      if (status.startsWith("BERTH1 started ")) ProcessHandle.of(Long.parseLong(status.substring(15))).ifPresent(ProcessHandle::destroyForcibly);
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  // --- helpers ---

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A socket on which the container's server answers: the proxy accepts and closes while nothing listens inside. */
  private static Socket connectWhenServing(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
      s.setSoTimeout(200);
      try {
        s.getInputStream().read(); // nc says nothing: a timeout means connected through
      } catch (SocketTimeoutException e) {
        s.setSoTimeout(0);
        return s;
      }
      s.close();
      if (System.nanoTime() > deadline) throw new AssertionError("nothing served 127.0.0.1:" + port + " within 10 s");
      Thread.sleep(50);
    }
  }

  /** GET / through the port, retried while the server in the container is not up yet. */
  static String httpGet(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!response.isEmpty()) return response;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) throw e;
      }
      if (System.nanoTime() > deadline) throw new AssertionError("no HTTP answer on 127.0.0.1:" + port + " within 10 s");
      Thread.sleep(50);
    }
  }

  private static String udpRoundTrip(DatagramSocket s, int port, String text) throws Exception {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      s.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
      DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
      try {
        s.receive(reply);
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
      } catch (SocketTimeoutException e) {
        if (System.nanoTime() > deadline) throw new AssertionError("no UDP echo on 127.0.0.1:" + port + " within 10 s");
      }
    }
  }

  /** The interface names in a /proc/net/dev table. */
  private static List<String> interfaces(String procNetDev) {
    return procNetDev.lines().filter(l -> l.contains(":") && !l.contains("|")).map(l -> l.substring(0, l.indexOf(':')).trim()).toList();
  }

  private static String nftBerthTable() throws Exception {
    Process p = new ProcessBuilder("nft", "list", "table", "inet", "berth").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /** The UDP echo server fixture, compiled static from src/test/resources/net/udp-echo.c. */
  private static Path udpEcho() throws Exception {
    Path bin = tmp.resolve("udp-echo");
    if (Files.exists(bin)) return bin;
    Path gcc = Path.of("/usr/bin/gcc");
    assumeTrue(Files.isExecutable(gcc), "needs gcc to build the UDP echo fixture");
    Process p = new ProcessBuilder(gcc.toString(), "-static", "-O2", "-o", bin.toString(), "src/test/resources/net/udp-echo.c")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return bin;
  }

  /** Running the helper as nobody with a user namespace (see RootlessContainerTest). */
  static final class RootlessRun {
    static final int NOBODY = 65534;
    static final java.util.Set<RuntimeSpec.Namespace> NAMESPACES = java.util.EnumSet.of(RuntimeSpec.Namespace.USER,
        RuntimeSpec.Namespace.MOUNT, RuntimeSpec.Namespace.PID, RuntimeSpec.Namespace.UTS, RuntimeSpec.Namespace.IPC,
        RuntimeSpec.Namespace.NET);
    private static String line;

    static Path prepare(Path base, String name) throws IOException {
      Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      Path dir = Files.createDirectories(base.resolve(name));
      for (Path p : List.of(dir, Files.createDirectories(dir.resolve("upper")), Files.createDirectories(dir.resolve("work")))) {
        Files.setAttribute(p, "unix:uid", NOBODY);
        Files.setAttribute(p, "unix:gid", NOBODY);
      }
      return dir;
    }

    static Process start(Path base, Path dir) throws IOException {
      line = null;
      Path helper = new HelperBinary(base.resolve("bin")).path();
      return new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
          helper.toString(), dir.resolve("helper.config").toString()).redirectErrorStream(true).start();
    }

    /** The first line the helper wrote (read once, then remembered). */
    static String statusLine(Process p) throws IOException {
      if (line != null) return line;
      InputStream in = p.getInputStream();
      StringBuilder b = new StringBuilder();
      for (int c; (c = in.read()) != -1 && c != '\n'; ) b.append((char) c);
      line = b.toString();
      return line;
    }
  }
}
