package dev.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Keys, certificates and the password generated once per JVM and shared by every registry
 * it starts: generating them per registry would make each start cost hundreds of milliseconds.
 * The server certificate names 127.0.0.1 and localhost, so it fits any port.
 */
final class RunSecrets {
  static final String USERNAME = "alice";

  private static final String DIR_PREFIX = "berth-secrets-";
  private static RunSecrets instance;

  final Path dir;
  final String password;
  final Path caCert;
  final Path serverCert;
  final Path serverKey;
  final Path tokenCert;
  final Path htpasswd;
  final PrivateKey tokenKey;
  final X509Certificate tokenCertificate;
  final SSLContext sslContext;

  private RunSecrets(Path dir) {
    this.dir = dir;
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    this.password = "pw-" + HexFormat.of().formatHex(random);
    Path config = write(dir.resolve("openssl.cnf"), "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = berth\n");
    caCert = dir.resolve("ca.crt");
    Commands.run(dir, "openssl", "req", "-config", config.toString(), "-x509", "-newkey", "ec",
        "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "7", "-subj", "/CN=Berth Test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout", "ca.key", "-out", "ca.crt");
    serverCert = dir.resolve("server.crt");
    serverKey = dir.resolve("server.key");
    Commands.run(dir, "openssl", "req", "-config", config.toString(), "-x509", "-CA", "ca.crt",
        "-CAkey", "ca.key", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-days", "7", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=serverAuth",
        "-keyout", "server.key", "-out", "server.crt");
    // Token signing certificate: self-signed, listed as the registry's rootcertbundle and
    // sent in each token's x5c header, which is how distribution finds the verifying key.
    tokenCert = dir.resolve("token.crt");
    Commands.run(dir, "openssl", "req", "-config", config.toString(), "-x509", "-newkey", "ec",
        "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "7",
        "-subj", "/CN=Berth Test Token Issuer", "-keyout", "token.key", "-out", "token.crt");
    tokenKey = readEcKey(dir.resolve("token.key"));
    tokenCertificate = readCertificate(tokenCert);
    htpasswd = write(dir.resolve("htpasswd"), Commands.run(dir, "htpasswd", "-Bbn", USERNAME, password));
    sslContext = trusting(readCertificate(caCert));
  }

  /** The secrets of this JVM, generated on first use and deleted when the JVM exits. */
  static synchronized RunSecrets get() {
    if (instance == null) {
      TempDirs.sweepStale(DIR_PREFIX);
      Path dir = TempDirs.create(DIR_PREFIX);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> Commands.deleteTree(dir), "berth-secrets-cleanup"));
      instance = new RunSecrets(dir);
    }
    return instance;
  }

  /** The token certificate in DER, base64 (not URL-safe), as JWS x5c wants it. */
  String tokenCertificateX5c() {
    try {
      return Base64.getEncoder().encodeToString(tokenCertificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not encode the token certificate", e);
    }
  }

  private static Path write(Path file, String content) {
    try {
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  static X509Certificate readCertificate(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not read certificate " + pem, e);
    }
  }

  private static PrivateKey readEcKey(Path pem) {
    try {
      String base64 = Files.readString(pem, StandardCharsets.US_ASCII)
          .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not read PKCS#8 EC key " + pem, e);
    }
  }

  private static SSLContext trusting(X509Certificate ca) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("berth-test-ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not build an SSLContext trusting the test CA", e);
    }
  }
}
