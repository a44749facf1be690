package dev.berth.internal.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM private keys: PKCS#8 ({@code PRIVATE KEY}, RSA or EC) and PKCS#1 RSA. */
final class PemKeys {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  /** DER of AlgorithmIdentifier{rsaEncryption, NULL}. */
  private static final byte[] RSA_ALGORITHM = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
    0x01, 0x05, 0x00
  };

  private PemKeys() {}

  static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    Matcher m = PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new GeneralSecurityException(file + " holds no PEM private key");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(2));
    return switch (m.group(1)) {
      case "PRIVATE KEY" -> pkcs8(der);
      case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1(der)));
      default -> throw new GeneralSecurityException(file + " holds a " + m.group(1)
          + "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file);
    };
  }

  /**
   * @throws GeneralSecurityException when {@code key} is not the private half of {@code pub}:
   *     a signature it makes does not verify
   */
  static void checkPair(PrivateKey key, java.security.PublicKey pub, Path certFile, Path keyFile)
      throws GeneralSecurityException {
    String alg = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    byte[] probe = "berth".getBytes(StandardCharsets.US_ASCII);
    boolean ok;
    try {
      java.security.Signature sign = java.security.Signature.getInstance(alg);
      sign.initSign(key);
      sign.update(probe);
      byte[] sig = sign.sign();
      java.security.Signature verify = java.security.Signature.getInstance(alg);
      verify.initVerify(pub);
      verify.update(probe);
      ok = verify.verify(sig);
    } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
      ok = false; // a key of another algorithm than the certificate's
    }
    if (!ok) {
      throw new GeneralSecurityException("the key " + keyFile + " does not match the"
          + " certificate " + certFile + "; give the key the certificate was made for");
    }
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  /** PKCS#8 = SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING pkcs1 }. */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.writeBytes(tlv(0x04, pkcs1));
    return tlv(0x30, body.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int len = value.length;
    if (len < 0x80) {
      out.write(len);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(len) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(len >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
