package dev.berth.dockerapi;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.dockerapi.internal.Api;
import dev.berth.dockerapi.internal.HttpServer;
import dev.berth.dockerapi.internal.ServerTls;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The Docker Engine API, served from this JVM on a unix socket, so the {@code docker} CLI,
 * Testcontainers and docker-java drive a Berth engine: no daemon, and nothing left behind when
 * the handle closes.
 *
 * <pre>{@code
 * try (Berth berth = Berth.defaultEngine();
 *      DockerApi api = DockerApi.serve(berth, Path.of("/tmp/berth.sock"))) {
 *   // DOCKER_HOST=unix:///tmp/berth.sock docker run --rm busybox echo hi
 * }
 * }</pre>
 *
 * <p>The socket is as powerful as the user running the JVM (root: as root). It is created
 * with mode 0600; {@link Builder#socketGroup} widens it to a group. TCP listens on the loopback
 * address only unless {@link Builder#tcp(InetSocketAddress)} names another, which is
 * unauthenticated and logged as such, unless {@link Builder#tls(Path, Path, Path)} requires
 * client certificates, as dockerd's {@code --tlsverify}:
 *
 * <pre>{@code
 * DockerApi api = DockerApi.builder(berth).tcp(new InetSocketAddress("0.0.0.0", 2376))
 *     .tls(Path.of("ca.pem"), Path.of("server-cert.pem"), Path.of("server-key.pem")).start();
 * // docker --tlsverify --tlscacert ca.pem --tlscert cert.pem --tlskey key.pem \
 * //     -H tcp://host:2376 version
 * }</pre>
 */
public final class DockerApi implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.berth.dockerapi");

  private final HttpServer server;
  private final Path socket;
  private final InetSocketAddress tcp;

  private DockerApi(HttpServer server, Path socket, InetSocketAddress tcp) {
    this.server = server;
    this.socket = socket;
    this.tcp = tcp;
  }

  /**
   * Serves {@code berth} on a unix socket (mode 0600); a stale socket file there is replaced.
   *
   * @param berth the engine to serve
   * @param socket where to create the unix socket
   * @return the running server; close it to stop serving
   * @throws BerthException when the socket cannot be created
   */
  public static DockerApi serve(Berth berth, Path socket) {
    return builder(berth).socket(socket).start();
  }

  /**
   * A server to configure: unix socket, its group, TCP, containers tied to this JVM.
   *
   * @param berth the engine to serve
   * @return a builder; {@link Builder#start()} starts serving
   */
  public static Builder builder(Berth berth) {
    return new Builder(berth);
  }

  /**
   * @return {@code $XDG_RUNTIME_DIR/berth/docker.sock} for a user, {@code /run/berth/docker.sock}
   *     for root, as Docker and Podman place theirs
   */
  public static Path defaultSocket() {
    if ("root".equals(System.getProperty("user.name"))) {
      return Path.of("/run/berth/docker.sock");
    }
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    Path base = runtime != null && !runtime.isEmpty() ? Path.of(runtime)
        : Path.of(System.getProperty("java.io.tmpdir"), "berth-" + System.getProperty("user.name"));
    return base.resolve("berth").resolve("docker.sock");
  }

  /** @return the unix socket, when listening on one */
  public Optional<Path> socket() {
    return Optional.ofNullable(socket);
  }

  /** @return the TCP address, when listening on one */
  public Optional<InetSocketAddress> tcpAddress() {
    return Optional.ofNullable(tcp);
  }

  /** @return the value for {@code DOCKER_HOST}: {@code unix:///…} or {@code tcp://host:port} */
  public String dockerHost() {
    if (socket != null) {
      return "unix://" + socket.toAbsolutePath();
    }
    return "tcp://" + tcp.getAddress().getHostAddress() + ":" + tcp.getPort();
  }

  /** Stops serving: connections close, the socket file is removed. Containers keep running. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "DockerApi[" + dockerHost() + "]";
  }

  /** Where and how to listen. */
  public static final class Builder {
    private final Berth berth;
    private Path socket;
    private String group;
    private InetSocketAddress tcp;
    private boolean removeWithJvm;
    private TlsFiles tls;

    private Builder(Berth berth) {
      this.berth = Objects.requireNonNull(berth, "berth");
    }

    /**
     * The unix socket to create (default: {@link #defaultSocket()} when no TCP is asked).
     *
     * @param socket the socket file's path
     * @return this builder
     */
    public Builder socket(Path socket) {
      this.socket = Objects.requireNonNull(socket, "socket");
      return this;
    }

    /**
     * Makes the socket 0660 owned by {@code group}: its members can drive the engine.
     *
     * @param group the group's name
     * @return this builder
     */
    public Builder socketGroup(String group) {
      this.group = Objects.requireNonNull(group, "group");
      return this;
    }

    /**
     * Also listens on TCP on 127.0.0.1 ({@code 0} picks a free port).
     *
     * @param port the TCP port, or 0
     * @return this builder
     */
    public Builder tcp(int port) {
      return tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * Also listens on TCP at {@code address}. Anything but a loopback address exposes an
     * unauthenticated, root-equivalent API to the network: it is logged loudly at start.
     *
     * @param address the address and port to listen on
     * @return this builder
     */
    public Builder tcp(InetSocketAddress address) {
      this.tcp = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Serves TCP over TLS and requires every client to present a certificate signed by {@code
     * caCert}, as dockerd's {@code --tlsverify --tlscacert --tlscert --tlskey}: clients connect
     * with {@code docker --tlsverify} or {@code DOCKER_TLS_VERIFY=1}. PEM files as {@code
     * openssl} writes them; the key in PKCS#8 form ({@code BEGIN PRIVATE KEY}, OpenSSL 3's
     * default). Applies to {@link #tcp(InetSocketAddress)}; the unix socket stays plain.
     *
     * @param caCert the CA that signs the clients' certificates
     * @param cert the server's certificate (its names: the host clients connect to)
     * @param key the server certificate's private key
     * @return this builder
     */
    public Builder tls(Path caCert, Path cert, Path key) {
      this.tls = new TlsFiles(Objects.requireNonNull(caCert, "caCert"),
          Objects.requireNonNull(cert, "cert"), Objects.requireNonNull(key, "key"));
      return this;
    }

    /**
     * Ties every container created through this API to this JVM: when the JVM is gone, even
     * killed with SIGKILL, the containers are killed and removed (as Testcontainers' Ryuk does
     * for its session). For a server whose clients own their containers, as tests do.
     *
     * @param removeWithJvm true to tie the containers to this JVM
     * @return this builder
     */
    public Builder removeContainersWithJvm(boolean removeWithJvm) {
      this.removeWithJvm = removeWithJvm;
      return this;
    }

    /**
     * Starts serving.
     *
     * @return the running server; close it to stop serving
     * @throws BerthException when a socket or port cannot be bound, naming it; when a TLS file
     *     is missing or unreadable, or the key does not match the certificate, naming it
     * @throws IllegalStateException when TLS is asked without TCP
     */
    public DockerApi start() {
      if (tls != null && tcp == null) {
        throw new IllegalStateException("TLS applies to a TCP listener: give tcp(…) as well");
      }
      SslContext ssl = tls == null ? null : ServerTls.load(tls.ca(), tls.cert(), tls.key());
      Path sock = socket == null && tcp == null ? defaultSocket() : socket;
      HttpServer server = new HttpServer(Api.routes(berth, removeWithJvm));
      InetSocketAddress bound = null;
      try {
        if (sock != null) {
          server.listenUnix(sock, group == null ? "rw-------" : "rw-rw----", group);
        }
        if (tcp != null) {
          if (!tcp.getAddress().isLoopbackAddress() && ssl == null) {
            LOG.log(System.Logger.Level.WARNING, "the Docker API listens on " + tcp
                + " WITHOUT AUTHENTICATION: anyone who can reach it controls this machine's"
                + " containers as " + System.getProperty("user.name") + "; require client"
                + " certificates with tls(…) (berth service --tlsverify)");
          }
          bound = server.listenTcp(tcp, ssl);
        }
      } catch (IOException e) {
        server.close();
        throw new BerthException("cannot serve the Docker API: " + e.getMessage(), e);
      }
      return new DockerApi(server, sock, bound);
    }
  }

  private record TlsFiles(Path ca, Path cert, Path key) {}
}
