package dev.berth.dockerapi.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ExecutorService;

/**
 * The event-loop side of one connection: it turns Netty's request objects into an
 * {@link Exchange} that a worker thread handles, feeds the body to it, and reads the next
 * request only when the response is complete (Docker clients do not pipeline). After a hijack
 * the codec is gone and raw bytes go to the same exchange's body.
 */
final class ApiHandler extends ChannelInboundHandlerAdapter {
  static final String CODEC = "http";

  private final Router router;
  private final ExecutorService workers;
  private Exchange current;
  private BodyStream body;
  private boolean hijacked;
  /** The client half-closed: once the exchange in progress is answered, the connection closes. */
  private boolean inputShut;

  ApiHandler(Router router, ExecutorService workers) {
    this.router = router;
    this.workers = workers;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (hijacked) {
        if (msg instanceof ByteBuf buf) {
          body.offer(bytes(buf));
        }
        return;
      }
      if (msg instanceof HttpRequest request) {
        start(ctx, request);
      }
      if (msg instanceof HttpContent content && body != null) {
        body.offer(bytes(content.content()));
        if (msg instanceof LastHttpContent) {
          body.end();
          // One request at a time: the next is read once this one's response is complete.
          ctx.channel().config().setAutoRead(false);
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void start(ChannelHandlerContext ctx, HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      router.badFraming(ctx.channel(), request.decoderResult().cause());
      return;
    }
    BodyStream b = new BodyStream(() -> ctx.channel().config().setAutoRead(false),
        () -> ctx.channel().config().setAutoRead(true));
    body = b;
    Router.Target target = router.target(request.uri());
    Exchange ex = new Exchange(ctx.channel(), request, target.path(), target.version(), b,
        () -> hijack(ctx));
    current = ex;
    ex.done().whenComplete((keepAlive, e) -> ctx.channel().eventLoop().execute(() -> {
      if (Boolean.TRUE.equals(keepAlive) && !hijacked && !inputShut && ctx.channel().isActive()) {
        body = null;
        current = null;
        ctx.channel().config().setAutoRead(true);
        ctx.read();
      } else {
        ctx.close();
      }
    }));
    workers.execute(() -> router.handle(ex, target));
  }

  /** Called from the worker once the hijack response is on the wire. */
  private void hijack(ChannelHandlerContext ctx) {
    java.util.concurrent.CompletableFuture<Void> switched = new java.util.concurrent.CompletableFuture<>();
    ctx.channel().eventLoop().execute(() -> {
      hijacked = true;
      if (ctx.pipeline().get(CODEC) != null) {
        ctx.pipeline().remove(CODEC);
      }
      // The request's own (empty) body has ended; from now on the body is the client's stream.
      body = new BodyStream(() -> ctx.channel().config().setAutoRead(false),
          () -> ctx.channel().config().setAutoRead(true));
      current.rebindBody(body);
      if (inputShut) {
        body.end(); // the client had already sent all it will send
      }
      ctx.channel().config().setAutoRead(true);
      ctx.read();
      switched.complete(null);
    });
    switched.join();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent || evt instanceof SslCloseCompletionEvent) {
      // The client half-closed: the docker CLI does it on an attach as soon as it has no more
      // stdin, even before the upgrade is answered. Keep writing to it; close once answered.
      // Over TLS the half-close is the client's close_notify.
      inputShut = true;
      if (hijacked && body != null) {
        body.end();
      }
      if (current == null) {
        ctx.close();
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (body != null) {
      body.end();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (body != null) {
      body.end();
    }
    ctx.close();
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] b = new byte[buf.readableBytes()];
    buf.readBytes(b);
    return b;
  }
}
