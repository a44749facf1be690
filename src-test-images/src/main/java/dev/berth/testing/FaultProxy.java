package dev.berth.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A reverse proxy on its own 127.0.0.1 port in front of an HTTP test registry, which injects the
 * faults a registry client must survive, and records every request.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(TestRegistry.shared(Variant.PLAIN))) {
 *   proxy.truncateNextBlob(1000);      // the client must resume with Range: bytes=1000-
 *   proxy.failNext(2, 503, Duration.ofSeconds(1));
 *   // pull from proxy.url() with the client under test ...
 *   assertThat(proxy.requests()).anyMatch(r -> "bytes=1000-".equals(r.range()));
 * }
 * }</pre>
 *
 * <p>Faults apply to blob GETs ({@code GET /v2/<name>/blobs/sha256:<hex>}) answered 200 or 206,
 * except {@link #failNext}, which answers any request. The Host header is passed on unchanged, so
 * the Location headers the registry builds (upload sessions) point back at the proxy.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Pattern BLOB_PATH = Pattern.compile("/v2/.+/blobs/sha256:[0-9a-f]{64}");

  /**
   * One request the proxy received.
   *
   * @param method the HTTP method
   * @param path the request target, query included
   * @param range the Range header, or null
   * @param authorization whether an Authorization header was sent
   */
  public record Request(String method, String path, String range, boolean authorization) { }

  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "berth-fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private int corruptions;
  private long truncateAfter = -1;
  private int failures;
  private int failureStatus;
  private Duration retryAfter;

  private FaultProxy(ServerSocket server, String targetHost, int targetPort) {
    this.server = server;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    threads.execute(this::acceptLoop);
  }

  /**
   * Starts a proxy in front of {@code target}.
   *
   * @throws IllegalArgumentException when {@code target} is a TLS registry (the proxy speaks HTTP)
   */
  public static FaultProxy start(TestRegistry target) {
    Objects.requireNonNull(target, "target");
    if (target.variant() == TestRegistry.Variant.TLS) {
      throw new IllegalArgumentException("FaultProxy speaks plain HTTP and cannot front " + target
          + ": start the target as PLAIN (or BASIC/TOKEN)");
    }
    try {
      return new FaultProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "127.0.0.1", target.port());
    } catch (IOException e) {
      throw new UncheckedIOException("could not open a port for the fault proxy", e);
    }
  }

  /** {@code 127.0.0.1:PORT} of the proxy. */
  public String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT} of the proxy. */
  public URI url() {
    return URI.create("http://" + host());
  }

  /**
   * Flips one byte (XOR 0xFF; the middle one when the length is known, else the first) in the body
   * of each of the next {@code count} blob GET responses, so their sha256 no longer matches.
   *
   * @throws IllegalArgumentException when {@code count} is not positive
   */
  public synchronized void corruptNextBlobs(int count) {
    corruptions = requirePositive(count, "corruptNextBlobs count");
  }

  /**
   * Cuts the connection after {@code bytes} body bytes of the next blob GET response, leaving the
   * client to resume with a Range request.
   *
   * @throws IllegalArgumentException when {@code bytes} is negative
   */
  public synchronized void truncateNextBlob(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("truncateNextBlob bytes must be >= 0, was " + bytes);
    }
    truncateAfter = bytes;
  }

  /**
   * Answers the next {@code count} requests with {@code status} and a registry-style JSON error,
   * without contacting the registry.
   *
   * @throws IllegalArgumentException when {@code count} is not positive or {@code status} is not 400-599
   */
  public void failNext(int count, int status) {
    failNext(count, status, null);
  }

  /**
   * As {@link #failNext(int, int)}, with a {@code Retry-After} header in whole seconds (null: none).
   *
   * @throws IllegalArgumentException when {@code count} is not positive or {@code status} is not 400-599
   */
  public synchronized void failNext(int count, int status, Duration retryAfter) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("failNext status must be an error status 400-599, was " + status);
    }
    failures = requirePositive(count, "failNext count");
    failureStatus = status;
    this.retryAfter = retryAfter;
  }

  /** Cancels every pending fault. */
  public synchronized void clearFaults() {
    corruptions = 0;
    truncateAfter = -1;
    failures = 0;
  }

  /** Every request received so far, oldest first. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Forgets the recorded requests. */
  public void clearRequests() {
    requests.clear();
  }

  /** Stops listening and drops every open connection. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing is best effort; the port is freed either way
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = new BufferedOutputStream(client.getOutputStream());
      if (!looksLikeHttp(in)) {
        // A TLS ClientHello, say (skopeo tries https first): answer like the registry, so the
        // client falls back to http at once instead of waiting for a handshake.
        out.write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return;
      }
      for (HttpHead request = HttpHead.read(in); request != null; request = HttpHead.read(in)) {
        requests.add(new Request(request.method(), request.target(), request.header("Range"),
            request.header("Authorization") != null));
        if ("100-continue".equalsIgnoreCase(request.header("Expect"))) {
          out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          request.remove("Expect");
        }
        if (!exchange(request, in, out) || "close".equalsIgnoreCase(request.header("Connection"))) {
          // FIN, not RST: closing with unread input would reset the connection, and a reset
          // makes the client's kernel drop bytes it has received but not yet read.
          client.shutdownOutput();
          client.setSoTimeout(1000);
          in.transferTo(OutputStream.nullOutputStream());
          return;
        }
      }
    } catch (IOException e) {
      // the client or the registry went away; nothing to report to anyone
    } finally {
      open.remove(client);
    }
  }

  private static boolean looksLikeHttp(InputStream in) throws IOException {
    in.mark(1);
    int first = in.read();
    in.reset();
    return first >= 'A' && first <= 'Z';
  }

  /** Answers one request; false when the client connection must be dropped. */
  private boolean exchange(HttpHead request, InputStream in, OutputStream out) throws IOException {
    Injected injected = takeFailure();
    if (injected != null) {
      BodyCopier.copy(in, OutputStream.nullOutputStream(), request.chunked(), Math.max(0, request.contentLength()),
          false, BodyCopier.Tamper.NONE, -1);
      injected.write(out);
      return true;
    }
    try (Socket backend = new Socket(targetHost, targetPort)) {
      InputStream fromRegistry = new BufferedInputStream(backend.getInputStream());
      OutputStream toRegistry = new BufferedOutputStream(backend.getOutputStream());
      request.set("Connection", "close");
      request.remove("Keep-Alive");
      request.write(toRegistry);
      boolean hasBody = request.chunked() || request.contentLength() > 0;
      BodyCopier.copy(in, toRegistry, request.chunked(), hasBody ? request.contentLength() : 0,
          request.chunked(), BodyCopier.Tamper.NONE, -1);
      HttpHead response = HttpHead.read(fromRegistry);
      if (response == null) {
        throw new IOException("the registry closed the connection without answering " + request.startLine);
      }
      return relay(request, response, fromRegistry, out);
    } catch (BodyCopier.Truncated e) {
      out.flush(); // the bytes before the cut must reach the client before the connection drops
      return false;
    }
  }

  private boolean relay(HttpHead request, HttpHead response, InputStream fromRegistry, OutputStream out)
      throws IOException {
    int status = response.status();
    boolean noBody = request.method().equals("HEAD") || status / 100 == 1 || status == 204 || status == 304;
    boolean chunkedIn = response.chunked();
    long length = response.contentLength();
    boolean chunkedOut = !noBody && (chunkedIn || length < 0);
    response.remove("Connection");
    response.remove("Keep-Alive");
    if (chunkedOut) {
      response.remove("Content-Length");
      response.set("Transfer-Encoding", "chunked");
    }
    response.write(out);
    if (noBody) {
      out.flush();
      return true;
    }
    boolean blob = request.method().equals("GET") && (status == 200 || status == 206)
        && BLOB_PATH.matcher(request.target()).matches();
    BodyCopier.Tamper tamper = blob && takeCorruption() ? flipAt(length > 0 ? length / 2 : 0) : BodyCopier.Tamper.NONE;
    long limit = blob ? takeTruncation() : -1;
    BodyCopier.copy(fromRegistry, out, chunkedIn, length, chunkedOut, tamper, limit);
    return true;
  }

  private static BodyCopier.Tamper flipAt(long position) {
    return (buf, len, offset) -> {
      if (position >= offset && position < offset + len) {
        buf[(int) (position - offset)] ^= (byte) 0xFF;
      }
    };
  }

  private synchronized boolean takeCorruption() {
    if (corruptions == 0) {
      return false;
    }
    corruptions--;
    return true;
  }

  private synchronized long takeTruncation() {
    long limit = truncateAfter;
    truncateAfter = -1;
    return limit;
  }

  private synchronized Injected takeFailure() {
    if (failures == 0) {
      return null;
    }
    failures--;
    return new Injected(failureStatus, retryAfter);
  }

  /** A canned error response. */
  private record Injected(int status, Duration retryAfter) {
    void write(OutputStream out) throws IOException {
      String code = status == 429 ? "TOOMANYREQUESTS" : status >= 500 ? "UNAVAILABLE" : "DENIED";
      byte[] body = ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"injected by FaultProxy\"}]}")
          .getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" Injected\r\n")
          .append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
      if (retryAfter != null) {
        head.append("Retry-After: ").append(retryAfter.toSeconds()).append("\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    }
  }

  private static int requirePositive(int count, String what) {
    if (count <= 0) {
      throw new IllegalArgumentException(what + " must be positive, was " + count);
    }
    return count;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
