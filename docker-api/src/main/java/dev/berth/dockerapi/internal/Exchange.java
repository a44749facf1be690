package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One request and its response, handled on a worker thread: blocking reads of the body, and
 * writes that wait for the connection (so a slow client slows the producer, never the heap).
 * A response is either whole ({@link #json}), streamed in chunks ({@link #stream}) or the raw
 * connection after a hijack ({@link #hijack}), as Docker's attach and exec start use.
 */
public final class Exchange {
  private final Channel channel;
  private final HttpRequest request;
  private final String path;
  private final String apiVersion;
  private final Map<String, List<String>> query;
  private volatile BodyStream body;
  private final Runnable hijackPipeline;
  private final CompletableFuture<Boolean> done = new CompletableFuture<>();
  private volatile boolean responded;

  Exchange(Channel channel, HttpRequest request, String path, String apiVersion, BodyStream body,
      Runnable hijackPipeline) {
    this.channel = channel;
    this.request = request;
    this.path = path;
    this.apiVersion = apiVersion;
    this.query = new QueryStringDecoder(request.uri()).parameters();
    this.body = body;
    this.hijackPipeline = hijackPipeline;
  }

  public String method() {
    return request.method().name();
  }

  /** @return the path without the {@code /v1.NN} prefix */
  public String path() {
    return path;
  }

  /** @return the API version the client asked for in the path, or the server's own */
  public String apiVersion() {
    return apiVersion;
  }

  public HttpHeaders headers() {
    return request.headers();
  }

  /** @return the query parameter's last value, or null */
  public String query(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
  }

  public List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  /** @return the parameter as Docker's booleans: {@code 1}, {@code true}, {@code True} */
  public boolean flag(String name, boolean otherwise) {
    String v = query(name);
    if (v == null || v.isEmpty()) {
      return otherwise;
    }
    return v.equals("1") || v.equalsIgnoreCase("true");
  }

  public int intQuery(String name, int otherwise) {
    String v = query(name);
    if (v == null || v.isEmpty()) {
      return otherwise;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid value for " + name + ": " + v + " is not a number");
    }
  }

  /** @return the request body, read as it arrives */
  public InputStream body() {
    return body;
  }

  /** After a hijack: the client's raw stream replaces the request body. */
  void rebindBody(BodyStream raw) {
    this.body = raw;
  }

  /** Bounds the body: reading more than {@code bytes} fails, and the request gets 413. */
  public void limitBody(long bytes, String what) {
    body.limit(bytes, what + " is larger than " + bytes + " bytes");
  }

  /** @return the body as JSON ({@code null} body → empty object); malformed JSON → 400 */
  public JsonNode jsonBody() {
    limitBody(Json.MAX_BODY, "the request body");
    try {
      byte[] bytes = body.readAllBytes();
      if (bytes.length == 0) {
        return Json.MAPPER.createObjectNode();
      }
      JsonNode node = Json.MAPPER.readTree(bytes);
      return node == null || node.isNull() ? Json.MAPPER.createObjectNode() : node;
    } catch (BodyStream.BodyTooLargeException e) {
      throw new ApiException(413, e.getMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("malformed JSON in the request body: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  public boolean responded() {
    return responded;
  }

  /** @return true once the client has gone */
  public boolean clientGone() {
    return !channel.isActive();
  }

  /** A future that completes when the connection closes. */
  public ChannelFuture closeFuture() {
    return channel.closeFuture();
  }

  // ---- whole responses

  public void json(int status, Object value) {
    byte[] bytes = Json.bytes(value);
    whole(status, "application/json", bytes);
  }

  public void text(int status, String text) {
    whole(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  public void noContent() {
    whole(204, null, new byte[0]);
  }

  /** Headers only (HEAD, 204, 304). */
  public void headersOnly(int status, Map<String, String> headers) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status));
    commonHeaders(r);
    headers.forEach((k, v) -> r.headers().set(k, v));
    HttpUtil.setContentLength(r, 0);
    send(r);
  }

  public void whole(int status, String contentType, byte[] bytes) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
    commonHeaders(r);
    if (contentType != null) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    HttpUtil.setContentLength(r, bytes.length);
    send(r);
  }

  private void send(FullHttpResponse r) {
    markResponded();
    await(channel.writeAndFlush(r));
    finish(true);
  }

  // ---- streamed responses

  /**
   * Starts a chunked response; the stream's writes go out as they come (each flush waits for the
   * connection), close ends it.
   */
  public OutputStream stream(int status, String contentType) {
    return streamWithHeaders(status, contentType, Map.of());
  }

  /** {@link #stream} with extra response headers. */
  public OutputStream streamWithHeaders(int status, String contentType, Map<String, String> extra) {
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    commonHeaders(r);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    HttpUtil.setTransferEncodingChunked(r, true);
    extra.forEach((k, v) -> r.headers().set(k, v));
    markResponded();
    await(channel.writeAndFlush(r));
    return new ChunkStream(true);
  }

  /**
   * Takes the connection over as Docker's attach and exec start do: {@code 101 UPGRADED} when
   * the client asked for {@code Upgrade: tcp}, else {@code 200 OK}; after it the connection
   * carries raw bytes both ways. The returned stream writes to the client; {@link #body()} reads
   * what the client sends (stdin) until it half-closes.
   */
  public OutputStream hijack(String contentType) {
    boolean upgrade = request.headers().containsValue(HttpHeaderNames.CONNECTION,
        HttpHeaderValues.UPGRADE, true);
    StringBuilder head = new StringBuilder(upgrade ? "HTTP/1.1 101 UPGRADED\r\n"
        : "HTTP/1.1 200 OK\r\n");
    head.append("Content-Type: ").append(contentType).append("\r\n");
    if (upgrade) {
      head.append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
    }
    head.append("Api-Version: ").append(Router.MAX_VERSION).append("\r\n");
    head.append("Docker-Experimental: false\r\nOstype: linux\r\n\r\n");
    markResponded();
    // The codec leaves before the answer goes out: the client sends raw bytes (stdin, a
    // half-close) as soon as it has read it, and none of them may reach the HTTP decoder.
    hijackPipeline.run();
    await(channel.writeAndFlush(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1)));
    return new ChunkStream(false);
  }

  private void markResponded() {
    if (responded) {
      throw new IllegalStateException("response already started");
    }
    responded = true;
  }

  private static void commonHeaders(HttpResponse r) {
    r.headers().set("Api-Version", Router.MAX_VERSION);
    r.headers().set("Docker-Experimental", "false");
    r.headers().set("Ostype", "linux");
    r.headers().set(HttpHeaderNames.SERVER, "Berth/" + Router.berthVersion() + " (linux)");
  }

  /** Completes the exchange: the handler resumes reading (keep-alive) or closes. */
  void finish(boolean keepAlive) {
    done.complete(keepAlive);
  }

  CompletableFuture<Boolean> done() {
    return done;
  }

  private void await(ChannelFuture f) {
    try {
      f.sync();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientGoneException("interrupted while writing to the client");
    } catch (Exception e) {
      throw new ClientGoneException("the client went away: " + e.getMessage());
    }
  }

  /** The client closed the connection while a response was being written. */
  public static final class ClientGoneException extends RuntimeException {
    ClientGoneException(String message) {
      super(message);
    }
  }

  /** Writes HTTP chunks (or, hijacked, raw bytes); each write waits until it is on the wire. */
  private final class ChunkStream extends OutputStream {
    private final boolean chunked;
    private boolean closed;

    ChunkStream(boolean chunked) {
      this.chunked = chunked;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      if (len == 0) {
        return;
      }
      if (closed) {
        throw new ClientGoneException("the response stream is closed");
      }
      io.netty.buffer.ByteBuf buf = Unpooled.copiedBuffer(b, off, len);
      await(channel.writeAndFlush(chunked ? new DefaultHttpContent(buf) : buf));
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (chunked) {
        try {
          await(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        } finally {
          finish(true);
        }
      } else {
        // A hijacked connection ends with the stream.
        channel.close();
        finish(false);
      }
    }
  }
}
