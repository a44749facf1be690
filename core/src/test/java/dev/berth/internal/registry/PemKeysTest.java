package dev.berth.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client keys for certs.d, made by the real openssl. */
class PemKeysTest {
  @TempDir Path tmp;

  private Path openssl(String name, String... args) {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "needs the openssl package");
    Path out = tmp.resolve(name);
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl", args[0], "-out", out.toString()));
    cmd.addAll(List.of(args).subList(1, args.length));
    TestImage.run(cmd);
    return out;
  }

  @Test
  void privateKey_pkcs8Rsa_isRead() throws Exception {
    Path key = openssl("k8.key", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024");
    assertThat(PemKeys.privateKey(key).getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void privateKey_pkcs1Rsa_isRead() throws Exception {
    Path key = openssl("k1.key", "genrsa", "-traditional", "1024");
    assertThat(Files.readString(key)).contains("BEGIN RSA PRIVATE KEY");
    assertThat(PemKeys.privateKey(key).getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void privateKey_pkcs8Ec_isRead() throws Exception {
    Path key = openssl("ec.key", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    assertThat(PemKeys.privateKey(key).getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void privateKey_notPem_throwsNamingFile() throws Exception {
    Path key = Files.writeString(tmp.resolve("bad.key"), "hello");
    assertThatThrownBy(() -> PemKeys.privateKey(key))
        .isInstanceOf(GeneralSecurityException.class).hasMessageContaining(key.toString());
  }
}
