package dev.berth.testing;

import java.nio.file.Path;

/** Writes the distribution registry's config.yml for one variant. */
final class RegistryConfig {
  static final String SERVICE = "berth-test-registry";
  static final String ISSUER = "berth-test-token-issuer";
  static final String BASIC_REALM = "berth-test";

  private RegistryConfig() {}

  static String yaml(TestRegistry.Variant variant, int port, Path storage, RunSecrets secrets, TokenServer tokens) {
    StringBuilder y = new StringBuilder()
        .append("version: 0.1\n")
        .append("log:\n  level: info\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ").append(quote(storage)).append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
        // A fixed secret keeps the registry from warning, and from generating one, on every start.
        .append("  secret: berth-test-secret\n");
    switch (variant) {
      case PLAIN -> { }
      case TLS -> y.append("  tls:\n    certificate: ").append(quote(secrets.serverCert)).append('\n')
          .append("    key: ").append(quote(secrets.serverKey)).append('\n');
      case BASIC -> y.append("auth:\n  htpasswd:\n    realm: ").append(BASIC_REALM).append('\n')
          .append("    path: ").append(quote(secrets.htpasswd)).append('\n');
      case TOKEN -> y.append("auth:\n  token:\n    realm: ").append(tokens.realm()).append('\n')
          .append("    service: ").append(tokens.service()).append('\n')
          .append("    issuer: ").append(tokens.issuer()).append('\n')
          .append("    rootcertbundle: ").append(quote(tokens.signingCertificate())).append('\n');
    }
    return y.toString();
  }

  private static String quote(Path path) {
    return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}
