package dev.berth.internal.registry;

import dev.berth.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the TLS setup for one registry: the system trust store plus any CAs in
 * {@code <certs.d>/<host[:port]>/*.crt}, a client certificate from {@code *.cert}/{@code *.key},
 * or no verification at all for registries configured insecure.
 *
 * @param context the SSL context to connect with
 * @param trustManager its trust manager (OkHttp wants both)
 * @param extraCas the certs.d CA files that were added, for messages
 */
public record TlsTrust(SSLContext context, X509TrustManager trustManager, List<Path> extraCas) {

  /**
   * @return the TLS setup for {@code registry} from its certs.d directories, or empty when they
   *     hold nothing for it (the system defaults apply)
   */
  static Optional<TlsTrust> forRegistry(String registry, List<Path> certsDirs) {
    List<Path> dirs = new ArrayList<>();
    for (Path d : certsDirs) {
      Path hostDir = d.resolve(registry);
      if (Files.isDirectory(hostDir)) {
        dirs.add(hostDir);
      }
    }
    try {
      List<Path> cas = files(dirs, ".crt");
      List<Path> clientCerts = files(dirs, ".cert");
      if (cas.isEmpty() && clientCerts.isEmpty()) {
        return Optional.empty();
      }
      X509TrustManager trust = cas.isEmpty() ? systemTrust() : withExtraCas(cas);
      KeyManager[] keys = ClientKeys.load(clientCerts);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keys, new TrustManager[] {trust}, null);
      return Optional.of(new TlsTrust(ctx, trust, cas));
    } catch (GeneralSecurityException | IOException e) {
      throw new RegistryException("cannot load the TLS certificates for " + registry + " from "
          + dirs + ": " + e.getMessage() + "; fix or remove the files", e);
    }
  }

  /** @return a setup that accepts any certificate: only for registries marked insecure */
  public static TlsTrust insecure() {
    X509TrustManager trustAll = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {trustAll}, null);
      return new TlsTrust(ctx, trustAll, List.of());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no TLS implementation", e);
    }
  }

  private static List<Path> files(List<Path> dirs, String suffix) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path dir : dirs) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + suffix)) {
        ds.forEach(out::add);
      }
    }
    out.sort(null);
    return out;
  }

  /** @return the JVM's default trust (its cacerts) */
  public static X509TrustManager systemTrust() throws GeneralSecurityException {
    return trustManager(null);
  }

  private static X509TrustManager trustManager(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(ks);
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager in this JVM");
  }

  /** @return a trust manager that trusts only what the CAs in {@code cas} (PEM) sign */
  public static X509TrustManager trustOnly(List<Path> cas)
      throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    int i = 0;
    for (Path ca : cas) {
      try (InputStream in = Files.newInputStream(ca)) {
        for (var cert : cf.generateCertificates(in)) {
          ks.setCertificateEntry("ca" + i++, cert);
        }
      }
    }
    if (i == 0) {
      throw new CertificateException("no certificate in " + cas);
    }
    return trustManager(ks);
  }

  /** Trusts what the system trusts, and also what the extra CAs sign. */
  private static X509TrustManager withExtraCas(List<Path> cas)
      throws GeneralSecurityException, IOException {
    X509TrustManager system = systemTrust();
    X509TrustManager extra = trustOnly(cas);
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        system.checkClientTrusted(chain, authType);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        try {
          extra.checkServerTrusted(chain, authType);
        } catch (CertificateException notOurs) {
          system.checkServerTrusted(chain, authType);
        }
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        X509Certificate[] a = system.getAcceptedIssuers();
        X509Certificate[] b = extra.getAcceptedIssuers();
        X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
      }
    };
  }

  /** Client certificates: {@code name.cert} with its {@code name.key} (PEM, PKCS#8 or RSA). */
  public static final class ClientKeys {
    private ClientKeys() {}

    static KeyManager[] load(List<Path> certFiles) throws GeneralSecurityException, IOException {
      if (certFiles.isEmpty()) {
        return null;
      }
      java.util.Map<Path, Path> pairs = new java.util.LinkedHashMap<>();
      for (Path cert : certFiles) {
        String base = cert.getFileName().toString().replaceFirst("\\.cert$", "");
        Path key = cert.resolveSibling(base + ".key");
        if (!Files.isRegularFile(key)) {
          throw new GeneralSecurityException("client certificate " + cert + " has no " + key);
        }
        pairs.put(cert, key);
      }
      return keyManagers(pairs);
    }

    /**
     * @param pairs certificate (PEM, with its chain) to its private key (PEM: PKCS#8 or RSA)
     * @return key managers that present them
     */
    public static KeyManager[] keyManagers(java.util.Map<Path, Path> pairs)
        throws GeneralSecurityException, IOException {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pw = new char[0];
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (var pair : pairs.entrySet()) {
        List<java.security.cert.Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pair.getKey())) {
          chain.addAll(cf.generateCertificates(in));
        }
        if (chain.isEmpty()) {
          throw new CertificateException(pair.getKey() + " holds no PEM certificate");
        }
        java.security.PrivateKey key = PemKeys.privateKey(pair.getValue());
        PemKeys.checkPair(key, chain.get(0).getPublicKey(), pair.getKey(), pair.getValue());
        ks.setKeyEntry(pair.getKey().getFileName().toString(), key,
            pw, chain.toArray(new java.security.cert.Certificate[0]));
      }
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(ks, pw);
      return f.getKeyManagers();
    }
  }
}
