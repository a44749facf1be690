package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenSSH server ({@code /usr/sbin/sshd}, Debian's openssh-server) on a free port of
 * 127.0.0.1, its own host key, one authorized client key (both made by the real {@code
 * ssh-keygen}), and {@code DOCKER_HOST} set for every session, so that {@code docker system
 * dial-stdio} there reaches the engine given. {@link #clientConfig} is an ssh client
 * configuration ({@code ssh -F}) with that key and the host's key as the only known one.
 */
final class TestSshd implements AutoCloseable {
  private static final Path SSHD = Path.of("/usr/sbin/sshd");
  final int port;
  final Path clientConfig;
  /** A configuration with a key the server does not know. */
  final Path strangerConfig;
  private final Process sshd;

  private TestSshd(Path dir, String dockerHost) throws IOException, InterruptedException {
    assertThat(SSHD).as("OpenSSH's server; scripts/lib/deps.sh installs openssh-server")
        .isExecutable();
    Files.createDirectories(dir);
    keygen(dir.resolve("host_key"));
    keygen(dir.resolve("client_key"));
    keygen(dir.resolve("stranger_key"));
    Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path config = dir.resolve("sshd_config");
    Files.writeString(config, String.join("\n",
        "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
        "PidFile " + dir.resolve("sshd.pid"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
        "StrictModes no", "PermitRootLogin prohibit-password", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "UsePAM no", "SetEnv DOCKER_HOST=" + dockerHost,
        "LogLevel ERROR", ""));
    Files.createDirectories(Path.of("/run/sshd")); // its privilege separation directory
    sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
    String hostKey = Files.readString(dir.resolve("host_key.pub")).trim();
    Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + hostKey + "\n");
    clientConfig = client(dir, "client", "client_key");
    strangerConfig = client(dir, "stranger", "stranger_key");
    awaitListening(dir);
  }

  static TestSshd start(Path dir, String dockerHost) {
    try {
      return new TestSshd(dir, dockerHost);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code ssh -F config}, as BERTH_SSH_COMMAND / berth.ssh.command give it. */
  static String command(Path config) {
    return "ssh -F " + config;
  }

  private static Path client(Path dir, String name, String key) throws IOException {
    Path c = dir.resolve(name + "_config");
    Files.writeString(c, String.join("\n", "Host *", "  IdentityFile " + dir.resolve(key),
        "  IdentitiesOnly yes", "  UserKnownHostsFile " + dir.resolve("known_hosts"),
        "  StrictHostKeyChecking yes", "  LogLevel ERROR", ""));
    return c;
  }

  private static void keygen(Path key) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
        key.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("ssh-keygen: " + out).isZero();
  }

  private void awaitListening(Path dir) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        if (!sshd.isAlive() || System.nanoTime() > deadline) {
          close();
          throw new AssertionError("sshd did not listen on 127.0.0.1:" + port + ": "
              + Files.readString(dir.resolve("sshd.log")));
        }
        Thread.sleep(20);
      }
    }
  }

  @Override
  public void close() {
    // its sessions too (each a child sshd): the clients' shared logins then end at once
    sshd.descendants().forEach(ProcessHandle::destroy);
    sshd.destroy();
    try {
      if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
        sshd.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** @return the docker host URL of this server for root */
  String url() {
    return "ssh://root@127.0.0.1:" + port;
  }
}
