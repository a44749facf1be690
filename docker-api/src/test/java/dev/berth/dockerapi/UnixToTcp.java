package dev.berth.dockerapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A TCP port on 127.0.0.1 (or another address of this machine) that forwards each connection to a unix socket, so that an engine
 * served on a socket is reached as {@code tcp://127.0.0.1:port}, as a remote engine is.
 */
final class UnixToTcp implements AutoCloseable {
  private final ServerSocket server;

  UnixToTcp(Path socket) {
    this(socket, InetAddress.getLoopbackAddress());
  }

  /** Listens on {@code address}: another of this machine's, as an engine elsewhere is reached. */
  UnixToTcp(Path socket, InetAddress address) {
    try {
      server = new ServerSocket(0, 50, address);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread accept = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket tcp = server.accept();
          SocketChannel unix = SocketChannel.open(UnixDomainSocketAddress.of(socket));
          // Not Channels.newInput/OutputStream: on JDK 17 their reads and writes share one lock
          pump(tcp.getInputStream(), new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              ByteBuffer buf = ByteBuffer.wrap(b, off, len);
              while (buf.hasRemaining()) {
                unix.write(buf);
              }
            }
          }, unix::shutdownOutput);
          pump(new InputStream() {
            @Override
            public int read() throws IOException {
              byte[] b = new byte[1];
              return read(b, 0, 1) == -1 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              return unix.read(ByteBuffer.wrap(b, off, len));
            }
          }, tcp.getOutputStream(), tcp::shutdownOutput);
        } catch (IOException e) {
          // closed
        }
      }
    }, "unix-to-tcp");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private interface Shutdown {
    void run() throws IOException;
  }

  private static void pump(InputStream in, OutputStream out, Shutdown end) {
    Thread t = new Thread(() -> {
      try {
        in.transferTo(out);
        end.run();
      } catch (IOException e) {
        // the other side closed
      }
    }, "unix-to-tcp-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
