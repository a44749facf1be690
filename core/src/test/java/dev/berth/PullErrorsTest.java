package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.net.httpserver.HttpServer;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import dev.berth.testsupport.StoreCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls that cannot succeed fail with a message that says why and leave nothing half-written. */
class PullErrorsTest {
  @TempDir Path tmp;

  @Test
  void pull_ontoAFullDisk_saysTheDiskIsFullAndNamesTheStore() throws Exception {
    assumeThat(Linux.isRoot()).as("mounting a small tmpfs needs root").isTrue();
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
    TestRegistry reg = Registries.plainWith("node");
    Path home = Files.createDirectory(tmp.resolve("small"));
    // node's layers are ~80 MB compressed: 40 MB runs out half way
    Syscalls.mount("tmpfs", home.toString(), "tmpfs", 0, "size=40m");
    try {
      try (Berth berth = Registries.engine(home, reg)) {
        assertThatThrownBy(() -> berth.pull("node"))
            .isInstanceOf(BerthException.class)
            .hasMessageContaining("is full").hasMessageContaining(home.toString());
        assertThat(berth.images()).isEmpty();
      }
      StoreCheck.assertConsistent(home);
      assertThat(StoreCheck.sessions(home)).as("staging removed at close").isEmpty();
    } finally {
      Syscalls.umount2(home.toString(), Fcntl.MNT_DETACH);
    }
  }

  @Test
  void pull_malformedManifest_throwsNamingTheReference() throws Exception {
    byte[] bad = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        .concat("\"config\":\"not a descriptor\",\"layers\":7}").getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/", ex -> {
      boolean manifest = ex.getRequestURI().getPath().equals("/v2/broken/manifests/latest");
      byte[] body = manifest ? bad : new byte[0];
      ex.getResponseHeaders().set("Content-Type", "application/vnd.oci.image.manifest.v1+json");
      ex.sendResponseHeaders(manifest || ex.getRequestURI().getPath().equals("/v2/") ? 200 : 404,
          body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    String ref = "127.0.0.1:" + server.getAddress().getPort() + "/broken";
    try (Berth berth = Berth.builder().home(tmp.resolve("home")).build()) {
      assertThatThrownBy(() -> berth.pull(ref))
          .isInstanceOf(BerthException.class).hasMessageContaining(ref);
      assertThat(berth.images()).isEmpty();
    } finally {
      server.stop(0);
    }
  }
}
