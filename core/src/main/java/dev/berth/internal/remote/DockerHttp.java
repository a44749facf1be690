package dev.berth.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.berth.BerthException;
import dev.berth.ConflictException;
import dev.berth.NotFoundException;
import dev.berth.internal.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 to a Docker Engine API: one connection for each exchange, bodies in JSON, responses
 * read plain, by length or chunked. An error status becomes a Berth exception with the engine's
 * own message: 404 {@link NotFoundException}, 409 {@link ConflictException}.
 */
final class DockerHttp {
  private final DockerHost host;
  /** {@link DockerHost#elsewhere()}, asked once: it resolves a name (or runs ssh -G). */
  private volatile Boolean elsewhere;

  DockerHttp(DockerHost host) {
    this.host = host;
  }

  DockerHost host() {
    return host;
  }

  /** @return {@link DockerHost#elsewhere()} of this engine, worked out on the first call */
  boolean elsewhere() {
    Boolean e = elsewhere;
    if (e == null) {
      e = host.elsewhere();
      elsewhere = e;
    }
    return e;
  }

  /**
   * A container's inspect ({@code GET /containers/{idOrName}/json}, the name already quoted for
   * a path). Podman answers 500 "read /proc/PID/cgroup: no such process" when the container's
   * process has just ended and its state is not yet written (a kill, a removal under way); that
   * passes within milliseconds, so the inspect is asked again, for up to about a second, before
   * the error stands.
   */
  JsonNode container(String quotedIdOrName) {
    String path = "/containers/" + quotedIdOrName + "/json";
    for (int attempt = 0; ; attempt++) {
      try {
        return json("GET", path, null);
      } catch (BerthException e) {
        if (attempt == 10 || e instanceof NotFoundException
            || !String.valueOf(e.getMessage()).contains("no such process")) {
          throw e;
        }
        try {
          Thread.sleep(10L << Math.min(attempt, 4)); // 10, 20, 40, 80, 160, 160 … ms
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * The JSON answer of a call; a call without a body answers {@link NullNode}, one whose body is
   * not JSON (podman's {@code OK} to a network connect) its text.
   */
  JsonNode json(String method, String path, Object body) {
    try (Response r = send(method, path, Map.of(), body)) {
      byte[] bytes = r.body().readAllBytes();
      if (bytes.length == 0) {
        return NullNode.getInstance();
      }
      try {
        return Json.MAPPER.readTree(bytes);
      } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(
            new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /**
   * Sends a request and reads the status and headers; the body is left to the caller, who closes
   * the response.
   *
   * @throws NotFoundException on 404, {@link ConflictException} on 409, BerthException otherwise
   */
  Response send(String method, String path, Map<String, String> headers, Object body) {
    DockerHost.Connection c = null;
    try {
      c = host.connect();
      byte[] content = body == null ? null
          : body instanceof byte[] b ? b : Json.MAPPER.writeValueAsBytes(body);
      StringBuilder head = new StringBuilder(method).append(' ').append(path)
          .append(" HTTP/1.1\r\nHost: docker\r\nUser-Agent: berth\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (!headers.containsKey("Connection")) {
        head.append("Connection: close\r\n"); // a body without a length ends with the connection
      }
      if (content != null) {
        head.append("Content-Type: ").append(body instanceof byte[]
            ? "application/x-tar" : "application/json").append("\r\n");
      }
      head.append("Content-Length: ").append(content == null ? 0 : content.length).append("\r\n");
      head.append("\r\n");
      c.out().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (content != null) {
        c.out().write(content);
      }
      c.out().flush();
      Response r = Response.read(c, method.equals("HEAD"));
      if (r.status() >= 400) {
        String message;
        try (r) {
          message = errorMessage(r.body().readAllBytes());
        }
        throw error(r.status(), message, method, path);
      }
      return r;
    } catch (IOException e) {
      IOException cause = c != null && host.tls() != null ? DockerTls.alertBehind(e, c.in()) : e;
      if (c != null) {
        c.close();
      }
      throw unreachable(cause);
    } catch (RuntimeException e) {
      if (c != null) {
        c.close();
      }
      throw e;
    }
  }

  private static String errorMessage(byte[] body) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n != null && n.hasNonNull("message")) {
        return n.get("message").asText();
      }
    } catch (IOException e) {
      // not JSON: the text itself
    }
    return new String(body, StandardCharsets.UTF_8).trim();
  }

  private RuntimeException error(int status, String message, String method, String path) {
    String where = " (HTTP " + status + " on " + method + " " + path.replaceAll("\\?.*", "")
        + " at " + host.url() + ")";
    if (status == 500 && message.endsWith("no such container")) {
      return new NotFoundException(message + where); // podman 4.3, removed while it inspected
    }
    if (status == 500 && message.contains("container state improper")) {
      return new ConflictException(message + where); // podman 4.3's word for Docker's 409
    }
    return switch (status) {
      case 404 -> new NotFoundException(message + where);
      case 409 -> new ConflictException(message + where);
      default -> new BerthException("the Docker engine refused: " + message + where);
    };
  }

  BerthException unreachable(IOException e) {
    if (e instanceof javax.net.ssl.SSLException ssl && host.tls() != null) {
      return host.tls().explain(ssl, host.url());
    }
    return new BerthException("cannot reach the Docker engine at " + host.url() + ": " + e
        + "; start it (Docker Desktop, podman machine start, colima start, podman system service)"
        + " or point DOCKER_HOST or Berth.builder().dockerHost(…) at one that runs", e);
  }

  /** A response: status, headers (names in lower case) and the body, decoded. */
  record Response(int status, Map<String, String> headers, InputStream body,
      DockerHost.Connection connection) implements AutoCloseable {

    static Response read(DockerHost.Connection c, boolean head) throws IOException {
      InputStream in = c.in();
      String statusLine = line(in);
      if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP answer: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      Map<String, String> headers = new HashMap<>();
      for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
        int colon = l.indexOf(':');
        if (colon > 0) {
          headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              l.substring(colon + 1).trim());
        }
      }
      InputStream body;
      if (head || status == 204 || status == 304) {
        body = InputStream.nullInputStream();
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = new Chunked(in);
      } else if (headers.containsKey("content-length") && status != 101) {
        body = new Bounded(in, Long.parseLong(headers.get("content-length")));
      } else {
        body = in; // upgraded or hijacked: the raw stream until the engine closes it
      }
      return new Response(status, Map.copyOf(headers), body, c);
    }

    String text() {
      try {
        return new String(body.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      connection.close();
    }
  }

  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
    }
    return c == -1 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  /** A body, read in blocks; a single byte is a block of one. */
  private abstract static class BodyStream extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] b = new byte[1];
      return read(b, 0, 1) == -1 ? -1 : b[0] & 0xff;
    }
  }

  /** A body of known length. */
  private static final class Bounded extends BodyStream {
    private final InputStream in;
    private long left;

    Bounded(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  /** A chunked body, decoded. */
  private static final class Chunked extends BodyStream {
    private final InputStream in;
    private long left;
    private boolean done;

    Chunked(InputStream in) {
      this.in = in;
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        String size = line(in);
        if (size == null) {
          done = true;
          return -1;
        }
        if (size.isEmpty()) { // the CRLF after the previous chunk
          size = line(in);
          if (size == null) {
            done = true;
            return -1;
          }
        }
        int semi = size.indexOf(';');
        left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
        if (left == 0) {
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n == -1) {
        done = true;
        return -1;
      }
      left -= n;
      return n;
    }
  }
}
