package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.Container;
import dev.berth.internal.remote.DockerEndpoints;
import dev.berth.internal.remote.RemoteEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth's API server with {@code tls(…)}, as dockerd {@code --tlsverify}: the real docker CLI
 * with a client certificate drives it (flags, DOCKER_TLS_VERIFY, a context), one without or
 * from another CA is refused; Berth's remote engine reaches it the same ways.
 */
class DockerTlsTest {
  @TempDir static Path dir;
  static TestCerts certs;
  static CliEngine engine;
  static String tcp;

  @BeforeAll
  static void serve() throws Exception {
    certs = TestCerts.make(dir.resolve("certs"));
    engine = CliEngine.berth(dir, b -> b.tcp(0).tls(certs.ca, certs.serverCert, certs.serverKey),
        "busybox");
    tcp = "tcp://127.0.0.1:" + engine.api.tcpAddress().orElseThrow().getPort();
    engine.docker.ok("pull", "busybox");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static DockerCli.Result docker(Path clientDir, String... args) {
    List<String> argv = new ArrayList<>(List.of("-H", tcp, "--tlsverify", "--tlscacert",
        clientDir.resolve("ca.pem").toString(), "--tlscert", clientDir.resolve("cert.pem")
        .toString(), "--tlskey", clientDir.resolve("key.pem").toString()));
    argv.addAll(List.of(args));
    return engine.docker.run(argv.toArray(String[]::new));
  }

  @Test
  void dockerCli_withAClientCertificate_runsContainersOverTls() {
    DockerCli.Result version = docker(certs.client, "version", "--format", "{{.Server.Os}}");
    assertThat(version.exitCode()).as("%s", version).isZero();
    assertThat(version.stdout()).isEqualTo("linux\n");
    DockerCli.Result run = docker(certs.client, "run", "--rm", "busybox", "echo", "hi");
    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.stdout()).isEqualTo("hi\n");
  }

  @Test
  void dockerCli_withDockerTlsVerifyAndCertPath_runsWithStdin() {
    DockerCli.Result r = engine.docker.shell("echo from-stdin | DOCKER_HOST=" + tcp
        + " DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=" + certs.client
        + " docker run --rm -i busybox cat");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.stdout()).isEqualTo("from-stdin\n");
  }

  @Test
  void dockerCli_withoutAClientCertificate_isRefused() {
    DockerCli.Result r = engine.docker.run("-H", tcp, "--tlsverify", "--tlscacert",
        certs.ca.toString(), "version");
    assertThat(r.exitCode()).as("%s", r).isNotZero();
    assertThat(r.stderr()).containsIgnoringCase("certificate");
  }

  @Test
  void dockerCli_withACertificateOfAnotherCa_isRefused() throws Exception {
    Path mixed = Files.createDirectories(dir.resolve("mixed"));
    Files.copy(certs.ca, mixed.resolve("ca.pem")); // trusts the server, but is not trusted
    Files.copy(certs.stranger.resolve("cert.pem"), mixed.resolve("cert.pem"));
    Files.copy(certs.stranger.resolve("key.pem"), mixed.resolve("key.pem"));
    DockerCli.Result r = docker(mixed, "version");
    assertThat(r.exitCode()).as("%s", r).isNotZero();
    assertThat(r.stdout()).doesNotContain("Server:");
    assertThat(r.stderr()).containsIgnoringCase("certificate");
  }

  @Test
  void remoteEngine_withACertPath_runsAContainer_andPublishesOnTheHost() throws Exception {
    try (Berth remote = Berth.builder().dockerHost(tcp, certs.client).build();
        Container c = remote.image("busybox").run("echo", "over tls")) {
      assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("over tls\n");
      assertThat(c.waitFor()).isZero();
      assertThat(remote.info().publishedPortHost()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void remoteEngine_fromDockerTlsVerifyEnvironment_runsAContainer() throws Exception {
    DockerEndpoints.Endpoint e = DockerEndpoints.resolve(Map.of("DOCKER_HOST", tcp,
        "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.client.toString()),
        Path.of("/nonexistent.sock"));
    assertThat(e.tls().dir()).isEqualTo(certs.client);
    assertThat(e.tls().verify()).isTrue();
    try (Berth remote = Berth.builder().dockerHost(e.host(), e.tls().dir()).build();
        Container c = remote.image("busybox").run("echo", "env")) {
      assertThat(c.waitFor()).isZero();
      assertThat(c.logs()).isEqualTo("env\n");
    }
  }

  @Test
  void dockerTlsWithoutVerify_encryptsOnly_whileVerifyNeedsTheCa() throws Exception {
    Path noCa = Files.createDirectories(dir.resolve("no-ca"));
    Files.copy(certs.client.resolve("cert.pem"), noCa.resolve("cert.pem"));
    // a PKCS#1 key ("BEGIN RSA PRIVATE KEY"), as OpenSSL 1.x and `openssl rsa -traditional` write
    TestCerts.openssl(dir, "rsa", "-in", certs.client.resolve("key.pem").toString(),
        "-traditional", "-out", noCa.resolve("key.pem").toString());
    assertThat(Files.readString(noCa.resolve("key.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY");
    DockerEndpoints.Endpoint plain = DockerEndpoints.resolve(Map.of("DOCKER_HOST", tcp,
        "DOCKER_TLS", "1", "DOCKER_CERT_PATH", noCa.toString()), Path.of("/nonexistent.sock"));
    assertThat(plain.tls().verify()).isFalse();
    RemoteEngine unverified = RemoteEngine.open(plain, Map.of()); // answers /version over TLS
    try {
      assertThat(unverified.images()).isNotEmpty();
    } finally {
      unverified.close();
    }
    assertThatThrownBy(() -> Berth.builder().dockerHost(tcp, noCa).build())
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("is not signed by a CA this JVM trusts (no ca.pem in " + noCa);
  }

  @Test
  void dockerContextWithTls_madeByTheDockerCli_isUsedByTheRemoteEngine() throws Exception {
    engine.docker.ok("context", "create", "tls-ctx", "--docker", "host=" + tcp + ",ca="
        + certs.ca + ",cert=" + certs.client.resolve("cert.pem") + ",key="
        + certs.client.resolve("key.pem"));
    DockerCli.Result viaCli = engine.docker.run("--context", "tls-ctx", "version");
    assertThat(viaCli.exitCode()).as("%s", viaCli).isZero();
    DockerEndpoints.Endpoint e = DockerEndpoints.resolve(Map.of("DOCKER_CONFIG",
        dir.resolve("docker-config").toString(), "DOCKER_CONTEXT", "tls-ctx"),
        Path.of("/nonexistent.sock"));
    assertThat(e.host()).isEqualTo(tcp);
    assertThat(e.tls().dir().resolve("key.pem")).exists();
    try (Berth remote = Berth.builder().dockerHost(e.host(), e.tls().dir()).build();
        Container c = remote.image("busybox").run("echo", "context")) {
      assertThat(c.waitFor()).isZero();
      assertThat(c.logs()).isEqualTo("context\n");
    }
  }

  @Test
  void dockerContextSkippingVerification_isFollowed() throws Exception {
    engine.docker.ok("context", "create", "tls-skip", "--docker", "host=" + tcp
        + ",skip-tls-verify=true,cert=" + certs.client.resolve("cert.pem") + ",key="
        + certs.client.resolve("key.pem"));
    DockerEndpoints.Endpoint e = DockerEndpoints.resolve(Map.of("DOCKER_CONFIG",
        dir.resolve("docker-config").toString(), "DOCKER_CONTEXT", "tls-skip"),
        Path.of("/nonexistent.sock"));
    assertThat(e.tls().verify()).isFalse();
    assertThat(e.tls().dir().resolve("ca.pem")).doesNotExist();
    RemoteEngine skipping = RemoteEngine.open(e, Map.of());
    try {
      assertThat(skipping.images()).isNotEmpty();
    } finally {
      skipping.close();
    }
  }

  @Test
  void remoteEngine_trustingAnotherCa_failsNamingTheCaFile() {
    assertThatThrownBy(() -> Berth.builder().dockerHost(tcp, certs.stranger).build())
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("is not signed by the CA in " + certs.stranger.resolve("ca.pem"));
  }

  @Test
  void remoteEngine_engineCertificateForAnotherHost_isRefusedNamingTheHost() throws Exception {
    Path[] other = certs.serverFor("DNS:other.example");
    try (Berth remote = Berth.builder().dockerHost(tcp, certs.client).build();
        DockerApi elsewhere = DockerApi.builder(remote).tcp(0)
            .tls(certs.ca, other[0], other[1]).start()) {
      String url = "tcp://127.0.0.1:" + elsewhere.tcpAddress().orElseThrow().getPort();
      assertThatThrownBy(() -> Berth.builder().dockerHost(url, certs.client).build())
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("TLS to the Docker engine at " + url + " failed")
          .hasMessageContaining("its certificate does not name the host of " + url);
    }
  }

  @Test
  void remoteEngine_withTls_toAPlainEngine_saysItDoesNotSpeakTls() throws Exception {
    try (UnixToTcp plain = new UnixToTcp(dir.resolve("docker.sock"))) {
      assertThatThrownBy(() -> Berth.builder().dockerHost("tcp://127.0.0.1:" + plain.port(),
              certs.client).build())
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("does not speak TLS there");
    }
  }

  @Test
  void remoteEngine_withAClientCertificateOfAnotherCa_isRefusedSayingWhatToDo() throws Exception {
    Path mixed = Files.createDirectories(dir.resolve("mixed-remote"));
    Files.copy(certs.ca, mixed.resolve("ca.pem"));
    Files.copy(certs.stranger.resolve("cert.pem"), mixed.resolve("cert.pem"));
    Files.copy(certs.stranger.resolve("key.pem"), mixed.resolve("key.pem"));
    for (int i = 0; i < 5; i++) { // the refusal races the request's write: the same each time
      assertThatThrownBy(() -> Berth.builder().dockerHost(tcp, mixed).build())
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("refused this client")
          .hasMessageContaining(mixed.resolve("cert.pem") + " is not accepted");
    }
  }

  @Test
  void remoteEngine_missingKeyFile_orAKeyOfAnotherCertificate_isNamed() throws Exception {
    Path noKey = Files.createDirectories(dir.resolve("no-key"));
    Files.copy(certs.ca, noKey.resolve("ca.pem"));
    Files.copy(certs.client.resolve("cert.pem"), noKey.resolve("cert.pem"));
    assertThatThrownBy(() -> Berth.builder().dockerHost(tcp, noKey))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining(noKey.resolve("key.pem") + " is missing");
    Files.copy(certs.stranger.resolve("key.pem"), noKey.resolve("key.pem"));
    assertThatThrownBy(() -> Berth.builder().dockerHost(tcp, noKey))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("the key " + noKey.resolve("key.pem")
            + " does not match the certificate " + noKey.resolve("cert.pem"));
  }

  @Test
  void server_missingFile_orAKeyOfAnotherCertificate_isNamedAtStart() {
    try (Berth remote = Berth.builder().dockerHost(tcp, certs.client).build()) {
      serverChecks(DockerApi.builder(remote));
    }
  }

  @Test
  void server_withAPkcs1Key_saysHowToConvertIt() throws Exception {
    Path pkcs1 = dir.resolve("server-key-pkcs1.pem");
    TestCerts.openssl(dir, "rsa", "-in", certs.serverKey.toString(), "-traditional", "-out",
        pkcs1.toString());
    try (Berth remote = Berth.builder().dockerHost(tcp, certs.client).build()) {
      DockerApi.Builder b = DockerApi.builder(remote).tcp(0).tls(certs.ca, certs.serverCert, pkcs1);
      assertThatThrownBy(b::start)
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("cannot use the TLS files")
          .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + pkcs1);
    }
  }

  private static void serverChecks(DockerApi.Builder b) {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> b.tcp(0).tls(certs.ca, certs.serverCert, missing).start())
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("server key (--tlskey) " + missing + " is missing or unreadable");
    assertThatThrownBy(() -> b.tcp(0).tls(certs.ca, certs.serverCert,
            certs.client.resolve("key.pem")).start())
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("does not match the certificate " + certs.serverCert);
  }
}
