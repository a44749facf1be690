package dev.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The start line and headers of an HTTP/1.1 message, as the {@link FaultProxy} reads and rewrites
 * them. Header order and spelling are kept, so what reaches the registry is what the client sent.
 */
final class HttpHead {
  private static final int MAX_LINE = 64 * 1024;

  final String startLine;
  private final List<String[]> headers;

  private HttpHead(String startLine, List<String[]> headers) {
    this.startLine = startLine;
    this.headers = headers;
  }

  /** Reads one head, or returns null at a clean end of stream before any byte. */
  static HttpHead read(InputStream in) throws IOException {
    String start = readLine(in);
    if (start == null) {
      return null;
    }
    List<String[]> headers = new ArrayList<>();
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
      }
    }
    return new HttpHead(start, headers);
  }

  String method() {
    return startLine.split(" ", 3)[0];
  }

  String target() {
    String[] parts = startLine.split(" ", 3);
    return parts.length > 1 ? parts[1] : "";
  }

  int status() throws IOException {
    String[] parts = startLine.split(" ", 3);
    try {
      return Integer.parseInt(parts[1]);
    } catch (RuntimeException e) {
      throw new IOException("not an HTTP status line: " + startLine, e);
    }
  }

  String header(String name) {
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase(name)) {
        return h[1];
      }
    }
    return null;
  }

  void remove(String name) {
    headers.removeIf(h -> h[0].equalsIgnoreCase(name));
  }

  void set(String name, String value) {
    remove(name);
    headers.add(new String[] {name, value});
  }

  boolean chunked() {
    String te = header("Transfer-Encoding");
    return te != null && te.toLowerCase().contains("chunked");
  }

  /** The Content-Length, or -1 when absent. */
  long contentLength() {
    String cl = header("Content-Length");
    return cl == null ? -1 : Long.parseLong(cl.trim());
  }

  void write(OutputStream out) throws IOException {
    StringBuilder b = new StringBuilder(startLine).append("\r\n");
    for (String[] h : headers) {
      b.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    out.write(b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** One CRLF- (or LF-) terminated line without its terminator; null at end of stream. */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (line.size() > MAX_LINE) {
        throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
      }
      line.write(c);
    }
    if (c == -1 && line.size() == 0) {
      return null;
    }
    String s = line.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
