package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.MachineLacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates made with the real {@code openssl} CLI, laid out as Docker's TLS guide has them:
 * a CA; the server's certificate for 127.0.0.1 and localhost; a client directory ({@code
 * ca.pem}, {@code cert.pem}, {@code key.pem}, as DOCKER_CERT_PATH); and the same for a client
 * of another CA.
 */
final class TestCerts {
  final Path ca;
  final Path serverCert;
  final Path serverKey;
  /** A client of {@link #ca}: ca.pem, cert.pem, key.pem. */
  final Path client;
  /** A client whose certificate (and ca.pem) come from another CA. */
  final Path stranger;
  private final Path dir;
  private final Path caKey;

  private TestCerts(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    Path caDir = Files.createDirectories(dir.resolve("ca"));
    ca = caDir.resolve("ca.pem");
    caKey = caDir.resolve("ca-key.pem");
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(),
        "-out", ca.toString(), "-days", "2", "-subj", "/CN=berth-test-ca");
    serverCert = caDir.resolve("server-cert.pem");
    serverKey = caDir.resolve("server-key.pem");
    signed(dir, ca, caKey, serverCert, serverKey, "/CN=localhost",
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth");
    client = Files.createDirectories(dir.resolve("client"));
    Files.copy(ca, client.resolve("ca.pem"));
    signed(dir, ca, caKey, client.resolve("cert.pem"), client.resolve("key.pem"), "/CN=client",
        "extendedKeyUsage=clientAuth");
    stranger = Files.createDirectories(dir.resolve("stranger"));
    Path otherKey = dir.resolve("stranger-ca-key.pem");
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", otherKey.toString(),
        "-out", stranger.resolve("ca.pem").toString(), "-days", "2", "-subj", "/CN=other-ca");
    signed(dir, stranger.resolve("ca.pem"), otherKey, stranger.resolve("cert.pem"),
        stranger.resolve("key.pem"), "/CN=stranger", "extendedKeyUsage=clientAuth");
  }

  /** @return {certificate, key} of a server certificate of {@link #ca} for {@code san} only */
  Path[] serverFor(String san) throws IOException, InterruptedException {
    Path cert = dir.resolve("server-" + san.replaceAll("\\W", "_") + "-cert.pem");
    Path key = dir.resolve("server-" + san.replaceAll("\\W", "_") + "-key.pem");
    signed(dir, ca, caKey, cert, key, "/CN=other", "subjectAltName=" + san
        + "\nextendedKeyUsage=serverAuth");
    return new Path[] {cert, key};
  }

  static TestCerts make(Path dir) throws IOException, InterruptedException {
    MachineLacks.assume(Files.isExecutable(Path.of("/usr/bin/openssl")),
        "the openssl CLI (Debian package openssl) to make test certificates");
    return new TestCerts(Files.createDirectories(dir));
  }

  private static void signed(Path dir, Path ca, Path caKey, Path cert, Path key, String subject,
      String extensions) throws IOException, InterruptedException {
    Path csr = dir.resolve(cert.getFileName() + "-" + System.nanoTime() + ".csr");
    Path ext = dir.resolve(csr.getFileName() + ".ext");
    Files.writeString(ext, extensions + "\n");
    openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
        csr.toString(), "-subj", subject);
    openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey",
        caKey.toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile",
        ext.toString());
  }

  static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("openssl %s: %s", argv, out).isZero();
  }
}
