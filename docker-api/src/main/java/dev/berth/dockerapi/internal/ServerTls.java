package dev.berth.dockerapi.internal;

import dev.berth.BerthException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS for the TCP listener, as dockerd's {@code --tlsverify --tlscacert --tlscert --tlskey}:
 * the server presents {@code cert}/{@code key} and REQUIRES a client certificate signed by
 * {@code ca}. PEM files as {@code openssl} writes them; Netty reads them (PKCS#8 keys).
 */
public final class ServerTls {
  private ServerTls() {}

  /**
   * @return the server's TLS context, its key checked against its certificate
   * @throws BerthException naming the file that is missing, unreadable or wrong, and what to do
   */
  public static SslContext load(Path ca, Path cert, Path key) {
    readable(ca, "CA certificate (--tlscacert)");
    readable(cert, "server certificate (--tlscert)");
    readable(key, "server key (--tlskey)");
    SslContext ctx;
    try {
      ctx = SslContextBuilder.forServer(cert.toFile(), key.toFile())
          .trustManager(ca.toFile())
          .clientAuth(ClientAuth.REQUIRE)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new BerthException("cannot use the TLS files (CA " + ca + ", certificate " + cert
          + ", key " + key + "): " + rootMessage(e) + "; give PEM files as openssl writes them"
          + " (a key in PKCS#1 or SEC1 form converts with: openssl pkcs8 -topk8 -nocrypt -in "
          + key + " -out key-pkcs8.pem)", e);
    }
    checkKeyMatches(ctx, cert, key);
    return ctx;
  }

  private static void readable(Path file, String what) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new BerthException("the " + what + " " + file + " is missing or unreadable; give"
          + " the path of a PEM file");
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
  }

  /**
   * A handshake in memory with a client that trusts anything and has no certificate: the client
   * checks the server's signature (made with {@code key}) against {@code cert}'s public key
   * before the server asks for the client's certificate, so a failure on the client's side
   * means the two do not belong together. Netty does not check this when loading.
   */
  private static void checkKeyMatches(SslContext server, Path cert, Path key) {
    SSLEngine s = server.newEngine(ByteBufAllocator.DEFAULT);
    SSLEngine c;
    try {
      c = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
          .build().newEngine(ByteBufAllocator.DEFAULT);
    } catch (SSLException e) {
      throw new IllegalStateException("this JVM has no TLS client", e);
    }
    ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
    ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
    ByteBuffer app = ByteBuffer.allocate(64 * 1024);
    ByteBuffer empty = ByteBuffer.allocate(0);
    try {
      c.beginHandshake();
      s.beginHandshake();
      for (int round = 0; round < 50; round++) {
        try {
          c.wrap(empty, toServer);
          toClient.flip();
          c.unwrap(toClient, app);
          toClient.compact();
          run(c);
        } catch (SSLException e) {
          throw new BerthException("the server key " + key + " does not match the certificate "
              + cert + " (" + e.getMessage() + "); give the key the certificate was made for", e);
        }
        try {
          toServer.flip();
          s.unwrap(toServer, app);
          toServer.compact();
          run(s);
          s.wrap(empty, toClient);
          run(s);
        } catch (SSLException e) {
          if (c.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
            return; // the client accepted the server; the server refused it for no certificate
          }
          throw new BerthException("the server key " + key + " does not match the certificate "
              + cert + " (" + e.getMessage() + "); give the key the certificate was made for", e);
        }
      }
    } catch (SSLException e) {
      throw new IllegalStateException("this JVM cannot start a TLS handshake", e);
    } finally {
      s.closeOutbound();
      c.closeOutbound();
    }
  }

  private static void run(SSLEngine e) {
    for (Runnable task = e.getDelegatedTask(); task != null; task = e.getDelegatedTask()) {
      task.run();
    }
  }
}
