package dev.berth.dockerapi.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening side: Netty's epoll transport on a unix socket (and, when asked, TCP), its
 * HTTP/1.1 codec with bounded request lines and headers, and a pool of worker threads that run
 * the handlers (they block: on the engine, on bodies, on streams).
 */
public final class HttpServer implements AutoCloseable {
  /** Longest request line and header block accepted; more is a 400, as Docker's own bounds. */
  private static final int MAX_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 64 * 1024;

  private final EventLoopGroup loops;
  private final ExecutorService workers;
  private final List<Channel> listeners = new ArrayList<>();
  private final List<Path> sockets = new ArrayList<>();

  public HttpServer(Router router) {
    if (!Epoll.isAvailable()) {
      throw new dev.berth.UnsupportedEnvironmentException("the Docker API server needs Linux epoll"
          + " (Netty's native transport) and it is not available here: "
          + Epoll.unavailabilityCause());
    }
    this.loops = new MultiThreadIoEventLoopGroup(1, daemon("berth-docker-api-io"),
        EpollIoHandler.newFactory());
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "berth-docker-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.router = router;
  }

  private final Router router;

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private ServerBootstrap bootstrap(SslContext tls) {
    return new ServerBootstrap().group(loops)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(ApiHandler.CODEC, new HttpServerCodec(MAX_LINE, MAX_HEADERS, 64 * 1024));
            ch.pipeline().addLast(new ApiHandler(router, workers));
          }
        });
  }

  /**
   * Listens on a unix socket: a stale socket file is replaced, the socket gets {@code mode}
   * (and {@code group}, when not null) before anyone can connect through a wider one.
   */
  public void listenUnix(Path socket, String mode, String group) throws IOException {
    Path parent = socket.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.deleteIfExists(socket);
    Channel ch;
    try {
      ch = bootstrap(null).channel(EpollServerDomainSocketChannel.class)
          .bind(new DomainSocketAddress(socket.toString())).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + socket, e);
    } catch (Exception e) {
      throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
    }
    listeners.add(ch);
    sockets.add(socket);
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(mode));
    if (group != null) {
      var lookup = socket.getFileSystem().getUserPrincipalLookupService();
      Files.getFileAttributeView(socket, java.nio.file.attribute.PosixFileAttributeView.class)
          .setGroup(lookup.lookupPrincipalByGroupName(group));
    }
  }

  /**
   * Listens on TCP, with TLS when {@code tls} is not null; returns the bound address (port 0
   * picks a free one).
   */
  public InetSocketAddress listenTcp(InetSocketAddress address, SslContext tls)
      throws IOException {
    try {
      Channel ch = bootstrap(tls).channel(EpollServerSocketChannel.class).bind(address).sync()
          .channel();
      listeners.add(ch);
      return (InetSocketAddress) ch.localAddress();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + address, e);
    } catch (Exception e) {
      throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
  }

  /** Stops listening, closes every connection, removes the socket files. */
  @Override
  public void close() {
    listeners.forEach(Channel::close);
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownNow();
    for (Path s : sockets) {
      try {
        Files.deleteIfExists(s);
      } catch (IOException ignored) {
        // best effort: a stale socket is replaced at the next start
      }
    }
  }
}
