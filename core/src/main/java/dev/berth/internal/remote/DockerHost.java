package dev.berth.internal.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Where a Docker Engine API listens, as {@code DOCKER_HOST} names it: {@code unix:///path},
 * {@code tcp://host:port}, plain or over TLS, or {@code ssh://[user@]host[:port]} ({@link
 * SshDial}).
 *
 * @param url the form the user gave, for messages
 * @param socket the unix socket, or null for TCP
 * @param host the TCP host, or null for a unix socket
 * @param port the TCP port (without one in the URL: 2375, or 2376 with TLS, as Docker's)
 * @param tls TLS for a TCP host, or null for plain HTTP
 * @param ssh the ssh route, or null
 */
record DockerHost(String url, Path socket, String host, int port, DockerTls tls, SshDial ssh) {

  /**
   * @param tls where the TLS files are and whether to verify, or null for plain HTTP
   * @throws IllegalArgumentException naming the forms that work, or when TLS is asked for a
   *     unix socket
   * @throws dev.berth.BerthException when a TLS file is missing or wrong, naming it
   */
  static DockerHost parse(String url, DockerEndpoints.Tls tls) {
    DockerHost plain = parse(url);
    if (tls == null) {
      return plain;
    }
    if (plain.socket() != null || plain.ssh() != null) {
      throw bad(url, "TLS applies to tcp://, not to a unix socket or ssh://");
    }
    int port = URI.create(url).getPort() == -1 ? 2376 : plain.port();
    return new DockerHost(url, null, plain.host(), port,
        DockerTls.load(tls.dir(), tls.verify(), tls.from()), null);
  }

  /** @throws IllegalArgumentException naming the forms that work */
  static DockerHost parse(String url) {
    if (url.startsWith("unix://")) {
      String path = url.substring("unix://".length());
      if (!path.startsWith("/")) {
        throw bad(url, "the socket path must be absolute");
      }
      return new DockerHost(url, Path.of(path), null, 0, null, null);
    }
    if (url.startsWith("tcp://") || url.startsWith("http://")) {
      URI uri = URI.create(url);
      if (uri.getHost() == null) {
        throw bad(url, "it names no host");
      }
      return new DockerHost(url, null, uri.getHost(), uri.getPort() == -1 ? 2375 : uri.getPort(),
          null, null);
    }
    if (url.startsWith("ssh://")) {
      SshDial ssh = SshDial.parse(url);
      return new DockerHost(url, null, ssh.host(), ssh.port(), null, ssh);
    }
    throw bad(url, url.startsWith("npipe://") || url.startsWith("https://")
        ? "this form is not supported yet" : "unknown scheme");
  }

  private static IllegalArgumentException bad(String url, String why) {
    return new IllegalArgumentException("Docker host " + url + " cannot be used: " + why
        + "; give unix:///path/to/docker.sock, tcp://host:port or ssh://[user@]host[:port]");
  }

  /** @return the address a published port is reached at: the engine's host */
  String publishedHost() {
    return socket != null ? "localhost" : ssh != null ? ssh.publishedHost() : host;
  }

  /** @return true when the engine is on another machine: published ports there are not ours */
  boolean elsewhere() {
    if (socket != null) {
      return false;
    }
    try {
      return !java.net.InetAddress.getByName(publishedHost()).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return true;
    }
  }

  /** A new connection; each HTTP exchange has its own (streams keep theirs open). */
  Connection connect() throws IOException {
    if (ssh != null) {
      return ssh.connect(url);
    }
    if (socket != null) {
      SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
      return new Connection(new java.io.BufferedInputStream(new ChannelIn(ch)), new ChannelOut(ch), ch, ch::shutdownOutput);
    }
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress(host, port), 10_000);
    plain.setTcpNoDelay(true);
    Socket s = tls == null ? plain : tls.handshake(plain, host, port, url);
    return new Connection(new java.io.BufferedInputStream(s.getInputStream()), s.getOutputStream(), s, s::shutdownOutput);
  }

  /** A connection's two directions; closing it closes the socket. */
  record Connection(InputStream in, OutputStream out, AutoCloseable socket, HalfClose halfClose)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        socket.close();
      } catch (Exception e) {
        // closing: nothing left to tell
      }
    }
  }

  /** Ends the sending direction (end-of-file for an attached stdin). */
  interface HalfClose {
    void shutdownOutput() throws IOException;
  }

  /**
   * Reads a blocking channel without {@code Channels.newInputStream}, which on JDK 17 holds the
   * channel's blocking lock while reading, so a write from another thread (stdin) would wait.
   */
  private static final class ChannelIn extends InputStream {
    private final SocketChannel ch;

    ChannelIn(SocketChannel ch) {
      this.ch = ch;
    }

    @Override
    public int read() throws IOException {
      byte[] b = new byte[1];
      int n = read(b, 0, 1);
      return n == -1 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n;
      do {
        n = ch.read(ByteBuffer.wrap(b, off, len));
      } while (n == 0);
      return n;
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  private static final class ChannelOut extends OutputStream {
    private final SocketChannel ch;

    ChannelOut(SocketChannel ch) {
      this.ch = ch;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
