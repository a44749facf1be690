package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.dockerapi.DockerApi;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth system service}: the Docker Engine API on a socket, for the {@code docker} CLI
 * and other Docker tools, until interrupted (as {@code podman system service}).
 */
@Command(name = "system", description = "Manage Berth",
    subcommands = {ServiceCommand.Service.class})
final class ServiceCommand implements Runnable {
  @Mixin HelpOption help;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "service", description = "Serve the Docker Engine API on a unix socket"
      + " (DOCKER_HOST=unix://SOCKET docker …) until interrupted")
  static final class Service implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = "--socket", paramLabel = "PATH", description = "Unix socket to create"
        + " (default: /run/berth/docker.sock as root, $XDG_RUNTIME_DIR/berth/docker.sock else)")
    Path socket;

    @Option(names = "--group", paramLabel = "GROUP",
        description = "Let this group use the socket (mode 0660; default 0600)")
    String group;

    @Option(names = "--tcp", paramLabel = "[HOST:]PORT", description = "Also listen on TCP"
        + " (127.0.0.1 unless a host is given: UNAUTHENTICATED, root-equivalent)")
    String tcp;

    @Option(names = "--tlsverify", description = "Serve TCP over TLS and require client"
        + " certificates signed by --tlscacert (as dockerd --tlsverify)")
    boolean tlsVerify;

    @Option(names = "--tlscacert", paramLabel = "PATH",
        description = "CA that signs the clients' certificates (default: ~/.docker/ca.pem)")
    Path tlsCaCert;

    @Option(names = "--tlscert", paramLabel = "PATH",
        description = "Server certificate (default: ~/.docker/cert.pem)")
    Path tlsCert;

    @Option(names = "--tlskey", paramLabel = "PATH",
        description = "Server key, PEM PKCS#8 (default: ~/.docker/key.pem)")
    Path tlsKey;

    @Override
    public Integer call() throws InterruptedException {
      Berth berth = Berth.defaultEngine();
      DockerApi.Builder b = DockerApi.builder(berth);
      if (socket != null || tcp == null) {
        b.socket(socket != null ? socket : DockerApi.defaultSocket());
      }
      if (group != null) {
        b.socketGroup(group);
      }
      if (tcp != null) {
        int colon = tcp.lastIndexOf(':');
        int port = Integer.parseInt(tcp.substring(colon + 1));
        InetSocketAddress address = colon < 0
            ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port)
            : new InetSocketAddress(tcp.substring(0, colon), port);
        if (tlsVerify) {
          Path dir = Path.of(System.getProperty("user.home"), ".docker");
          b.tls(tlsCaCert != null ? tlsCaCert : dir.resolve("ca.pem"),
              tlsCert != null ? tlsCert : dir.resolve("cert.pem"),
              tlsKey != null ? tlsKey : dir.resolve("key.pem"));
        } else if (!address.getAddress().isLoopbackAddress()) {
          System.err.println("WARNING: the API on " + address + " has NO AUTHENTICATION: anyone"
              + " who reaches it controls this machine's containers; add --tlsverify.");
        }
        b.tcp(address);
      }
      if (tlsVerify && tcp == null) {
        System.err.println("--tlsverify applies to --tcp: give --tcp [HOST:]PORT as well");
        return 2;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      DockerApi api = b.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        api.close();
        stopped.countDown();
      }, "berth-service-stop"));
      System.out.println("Serving the Docker API at " + api.dockerHost());
      System.out.println("  export DOCKER_HOST=" + api.dockerHost());
      if (tlsVerify) {
        InetSocketAddress t = api.tcpAddress().orElseThrow();
        System.out.println("Over TLS at tcp://" + t.getHostString() + ":" + t.getPort()
            + " (client certificates signed by the CA required)");
        System.out.println("  export DOCKER_HOST=tcp://" + t.getHostString() + ":" + t.getPort()
            + " DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=<dir with the client's ca.pem, cert.pem,"
            + " key.pem>");
      }
      System.out.flush();
      stopped.await();
      return 0;
    }
  }
}
