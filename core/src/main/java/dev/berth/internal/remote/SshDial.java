package dev.berth.internal.remote;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Docker host named {@code ssh://[user@]host[:port]}, reached as the docker CLI reaches it:
 * each connection is the system's {@code ssh} running {@code docker system dial-stdio} on that
 * host, which joins its stdin and stdout to the engine's socket there. So {@code ~/.ssh/config},
 * keys, agents and known hosts are the user's own. Connections share one login (ssh's {@code
 * ControlMaster}, kept 60 s after the last, as Ansible does), so each is a channel, not a new
 * handshake. The command is {@code ssh} unless {@code berth.ssh.command} / {@code
 * BERTH_SSH_COMMAND} says otherwise (like {@code GIT_SSH_COMMAND}: words split at spaces, e.g.
 * {@code ssh -F cfg}; its options come first, so {@code -o ControlMaster=no} there wins).
 *
 */
final class SshDial {
  private static final int STDERR_LIMIT = 4096;
  private final String user; // null: ssh's own choice
  private final String host; // as written: an alias of ~/.ssh/config works
  private final int port; // -1: ssh's own choice
  private final List<String> command;
  private volatile String publishedHost;

  private SshDial(String user, String host, int port, List<String> command) {
    this.user = user;
    this.host = host;
    this.port = port;
    this.command = command;
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** @throws IllegalArgumentException when the URL names no host or carries a path */
  static SshDial parse(String url) {
    URI uri = URI.create(url);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("Docker host " + url + " cannot be used: it names no"
          + " host; give ssh://[user@]host[:port]");
    }
    if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
      throw new IllegalArgumentException("Docker host " + url + " cannot be used: an ssh://"
          + " host has no path (the engine's socket is the one `docker system dial-stdio` finds"
          + " there); give ssh://[user@]host[:port]");
    }
    return new SshDial(uri.getUserInfo(), uri.getHost(), uri.getPort(), command());
  }

  private static List<String> command() {
    String c = System.getProperty("berth.ssh.command");
    if (c == null || c.isBlank()) {
      c = System.getenv("BERTH_SSH_COMMAND");
    }
    if (c == null || c.isBlank()) {
      c = "ssh";
    }
    return List.of(c.trim().split("\\s+"));
  }

  /** The ssh command line that runs {@code remote} on the host. */
  private List<String> line(String... remote) {
    List<String> l = new ArrayList<>(command);
    if (user != null) {
      l.addAll(List.of("-l", user));
    }
    if (port != -1) {
      l.addAll(List.of("-p", Integer.toString(port)));
    }
    // no prompt: a library has no terminal to ask on (keys from files or an agent work)
    l.addAll(List.of("-o", "BatchMode=yes", "-o", "ConnectTimeout=30"));
    Path control = controlDir();
    if (control != null) { // one login, then each connection is a channel of it (as Ansible)
      l.addAll(List.of("-o", "ControlMaster=auto", "-o", "ControlPersist=60", "-o",
          "ControlPath=" + control.resolve("%C")));
    }
    l.addAll(List.of("-T", "--", host));
    l.addAll(Arrays.asList(remote));
    return l;
  }

  /**
   * This user's directory for ssh's control sockets (only the user may enter it), or null when
   * it cannot be made: then each connection logs in anew.
   */
  private static Path controlDir() {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"),
        "berth-ssh-" + System.getProperty("user.name"));
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
      }
      return Files.getOwner(dir).getName().equals(System.getProperty("user.name"))
          && Files.getPosixFilePermissions(dir).equals(PosixFilePermissions.fromString("rwx------"))
          ? dir : null;
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** A connection to the engine: ssh's stdout is what the engine sends, its stdin what it gets. */
  DockerHost.Connection connect(String url) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(line("docker", "system", "dial-stdio")).start();
    } catch (IOException e) {
      throw new IOException("cannot start " + command.get(0) + " to reach " + url + ": "
          + e.getMessage() + "; install OpenSSH's client or set BERTH_SSH_COMMAND", e);
    }
    Stderr err = new Stderr(p.getErrorStream());
    err.start();
    InputStream in = new BufferedInputStream(new SshOut(p, err, url));
    return new DockerHost.Connection(in, p.getOutputStream(), () -> {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }, () -> p.getOutputStream().close());
  }

  /**
   * The address published ports are reached at: the host name ssh really connects to ({@code
   * ssh -G}, which resolves ~/.ssh/config aliases), else the host as written.
   */
  String publishedHost() {
    if (publishedHost == null) {
      publishedHost = resolvedHost();
    }
    return publishedHost;
  }

  private String resolvedHost() {
    try {
      Process p = new ProcessBuilder(configLine()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      for (String l : out.split("\n")) {
        if (l.startsWith("hostname ")) {
          return l.substring("hostname ".length()).trim();
        }
      }
    } catch (IOException e) {
      // ssh cannot tell: the host as written
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return host;
  }

  /** ssh -G: prints the configuration it would use, connects nowhere. */
  private List<String> configLine() {
    List<String> l = line(new String[0]);
    l.add(command.size(), "-G");
    return l;
  }

  /** ssh's stderr, kept (the first few KiB) to say why a connection ended early. */
  private static final class Stderr extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    Stderr(InputStream in) {
      super("berth-ssh-stderr");
      setDaemon(true);
      this.in = in;
    }

    @Override
    public void run() {
      byte[] b = new byte[1024];
      try {
        for (int n; (n = in.read(b)) != -1; ) {
          synchronized (kept) {
            kept.write(b, 0, Math.max(0, Math.min(n, STDERR_LIMIT - kept.size())));
          }
        }
      } catch (IOException e) {
        // the process is gone: what was read is what there is
      }
    }

    String text() throws InterruptedException {
      join(5_000);
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8).trim();
      }
    }
  }

  /**
   * ssh's stdout; an end before any byte came from a failed ssh (no key, unknown host, no
   * docker there) becomes an exception that says what ssh said.
   */
  private static final class SshOut extends FilterInputStream {
    private final Process p;
    private final Stderr err;
    private final String url;
    private boolean any;

    SshOut(Process p, Stderr err, String url) {
      super(p.getInputStream());
      this.p = p;
      this.err = err;
      this.url = url;
    }

    @Override
    public int read() throws IOException {
      byte[] b = new byte[1];
      return read(b, 0, 1) == -1 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        any = true;
      } else if (n == -1 && !any) {
        throw failed();
      }
      return n;
    }

    private IOException failed() {
      try {
        boolean ended = p.waitFor(10, TimeUnit.SECONDS);
        String said = err.text();
        return new IOException("ssh to " + url + " ended before the engine answered"
            + (ended ? " (exit " + p.exitValue() + ")" : "") + (said.isEmpty() ? "" : ": " + said)
            + "; check that `ssh` reaches the host without a password prompt (a key or agent)"
            + " and that `docker system dial-stdio` works there");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IOException("interrupted while ssh to " + url + " ended");
      }
    }
  }
}
