package dev.berth.dockerapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Bytes on the socket, for requests no well-behaved client sends: malformed JSON, bad framing,
 * huge bodies, odd headers. Reads the answer until the server closes or a whole response
 * (Content-Length or chunked) has arrived.
 */
final class RawHttp {
  private RawHttp() {}

  /** A response: status, header block and body as text. */
  record Response(int status, String headers, String body) {}

  static Response send(Path socket, String request) throws IOException {
    return send(socket, request.getBytes(StandardCharsets.UTF_8));
  }

  static Response send(Path socket, byte[] request) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap(request);
      while (out.hasRemaining()) {
        ch.write(out);
      }
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      ByteBuffer in = ByteBuffer.allocate(64 * 1024);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < deadline) {
        in.clear();
        int n;
        try {
          n = ch.read(in);
        } catch (IOException reset) {
          break;
        }
        if (n < 0) {
          break;
        }
        got.write(in.array(), 0, n);
        Response r = parse(got.toString(StandardCharsets.ISO_8859_1));
        if (r != null) {
          return r;
        }
      }
      Response r = parse(got.toString(StandardCharsets.ISO_8859_1));
      if (r == null) {
        throw new IOException("no whole response; got: " + got);
      }
      return r;
    }
  }

  /** @return the data of a whole chunked body */
  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  /** @return the response once its Content-Length or chunked body is complete, else null */
  private static Response parse(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return null;
    }
    String head = text.substring(0, end);
    String body = text.substring(end + 4);
    int status = Integer.parseInt(head.substring(9, 12));
    if (java.util.regex.Pattern.compile("(?im)^transfer-encoding: *chunked").matcher(head).find()) {
      return body.endsWith("0\r\n\r\n") ? new Response(status, head, dechunk(body)) : null;
    }
    var m = java.util.regex.Pattern.compile("(?im)^content-length: *(\\d+)").matcher(head);
    if (m.find() && body.length() < Integer.parseInt(m.group(1))) {
      return null;
    }
    if (!m.find(0)) {
      return null; // read until close
    }
    return new Response(status, head, body);
  }
}
