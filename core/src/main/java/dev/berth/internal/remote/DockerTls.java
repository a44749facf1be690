package dev.berth.internal.remote;

import dev.berth.BerthException;
import dev.berth.internal.registry.TlsTrust;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS to a Docker Engine API as the docker CLI does it, from a directory laid out as {@code
 * DOCKER_CERT_PATH} and a context's TLS store are: {@code ca.pem} (the CA the engine's
 * certificate must chain to; without it, the JVM's trusted CAs), {@code cert.pem} and {@code
 * key.pem} (the client certificate, presented when both exist). Verifying checks the engine's
 * certificate and that it names the host connected to; not verifying ({@code DOCKER_TLS},
 * a context's {@code SkipTLSVerify}) encrypts only.
 */
final class DockerTls {
  private final Path dir;
  private final boolean verify;
  private final boolean clientCert;
  private final SSLContext context;

  private DockerTls(Path dir, boolean verify, boolean clientCert, SSLContext context) {
    this.dir = dir;
    this.verify = verify;
    this.clientCert = clientCert;
    this.context = context;
  }

  /**
   * @param dir the directory with {@code ca.pem}, {@code cert.pem}, {@code key.pem}
   * @param verify true to verify the engine's certificate and host name
   * @throws BerthException naming the file that is missing or wrong, and what to do
   */
  static DockerTls load(Path dir, boolean verify, String from) {
    Path ca = dir.resolve("ca.pem");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    if (verify && !Files.isDirectory(dir)) {
      throw new BerthException("the TLS directory " + dir + " (" + from + ") does not exist;"
          + " point DOCKER_CERT_PATH at the directory with ca.pem, cert.pem and key.pem");
    }
    if (Files.exists(cert) != Files.exists(key)) {
      throw new BerthException("the TLS client certificate in " + dir + " (" + from + ") is"
          + " incomplete: " + (Files.exists(cert) ? key : cert) + " is missing; put the client's"
          + " cert.pem and key.pem there together");
    }
    try {
      X509TrustManager trust = !verify ? TlsTrust.insecure().trustManager()
          : Files.exists(ca) ? TlsTrust.trustOnly(List.of(ca)) : TlsTrust.systemTrust();
      boolean client = Files.exists(cert);
      KeyManager[] keys = client ? TlsTrust.ClientKeys.keyManagers(Map.of(cert, key)) : null;
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keys, new TrustManager[] {trust}, null);
      return new DockerTls(dir, verify, client, ctx);
    } catch (GeneralSecurityException | IOException e) {
      throw new BerthException("cannot use the TLS files in " + dir + " (" + from + "): "
          + e.getMessage() + "; give PEM files as openssl writes them (ca.pem, cert.pem, and"
          + " key.pem in PKCS#8 or RSA form)", e);
    }
  }

  /** @return {@code plain}, after a TLS handshake with the engine at {@code host} */
  Socket handshake(Socket plain, String host, int port, String url) throws IOException {
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
    if (verify) {
      SSLParameters p = s.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
      s.setSSLParameters(p);
    }
    try {
      s.startHandshake();
    } catch (SSLException e) {
      s.close();
      throw explain(e, url);
    }
    return s;
  }

  /**
   * @return the engine's TLS alert when {@code e} is the closed connection it left behind: an
   *     engine that refuses the client certificate after the handshake closes the connection, so
   *     writing the request can fail before its alert is read; else {@code e}
   */
  static IOException alertBehind(IOException e, java.io.InputStream in) {
    if (e instanceof SSLException || !(e instanceof java.net.SocketException)) {
      return e;
    }
    try {
      in.read(); // the peer has closed: this returns at once, or throws the alert it sent
      return e;
    } catch (SSLException alert) {
      return alert;
    } catch (IOException other) {
      return e;
    }
  }

  /**
   * @return what a TLS failure means for this engine and what to do; the engine refuses a
   *     client certificate after the handshake (TLS 1.3), on the first read, so this applies to
   *     any TLS failure of an exchange
   */
  BerthException explain(SSLException e, String url) {
    String m = String.valueOf(e.getMessage());
    String what;
    if (m.contains("PKIX") || m.contains("certification path")) {
      what = "its certificate is not signed by " + (Files.exists(dir.resolve("ca.pem"))
          ? "the CA in " + dir.resolve("ca.pem") : "a CA this JVM trusts (no ca.pem in " + dir + ")")
          + "; put the CA that signed the engine's certificate there";
    } else if (m.contains("subject alternative") || m.contains("No name matching")) {
      what = "its certificate does not name the host of " + url + "; connect by a name or address"
          + " in the certificate's subjectAltName, or remake it with that name";
    } else if (m.contains("alert") || m.contains("certificate_required")) {
      what = "the engine refused this client (" + m + "): it requires a client certificate"
          + " signed by its CA; " + (clientCert ? "the one in " + dir.resolve("cert.pem")
          + " is not accepted, give one its CA signed" : "put the client's cert.pem and key.pem in "
          + dir);
    } else if (m.contains("Unsupported or unrecognized SSL message")
        || m.contains("plaintext")) {
      what = "it does not speak TLS there; use its TLS port, or drop DOCKER_TLS_VERIFY for a plain"
          + " tcp:// engine";
    } else {
      what = m + "; check the engine's TLS setup and the files in " + dir;
    }
    return new BerthException("TLS to the Docker engine at " + url + " failed: " + what, e);
  }
}
