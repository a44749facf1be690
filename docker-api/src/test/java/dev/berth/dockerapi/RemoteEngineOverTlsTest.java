package dev.berth.dockerapi;

import dev.berth.Berth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The remote engine against Berth's own Docker API server in another BERTH_HOME, over TCP with
 * TLS and a client certificate ({@code dockerHost(tcp, certPath)} against {@code tls(…)}),
 * certificates made by the real openssl.
 */
class RemoteEngineOverTlsTest extends RemoteEngineContract {
  private TestCerts certs;

  @Override
  CliEngine start(Path dir) {
    try {
      certs = TestCerts.make(dir.resolve("certs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return CliEngine.berth(dir, b -> b.tcp(0).tls(certs.ca, certs.serverCert, certs.serverKey),
        "busybox");
  }

  @Override
  String dockerHost(CliEngine engine) {
    return "tcp://127.0.0.1:" + engine.api.tcpAddress().orElseThrow().getPort();
  }

  @Override
  Berth connect(String dockerHost) {
    return Berth.builder().dockerHost(dockerHost, certs.client).build();
  }
}
