package dev.berth.internal.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The one place that decides what is worth trying again: connection failures and 429, 502, 503,
 * 504. Never 401, 403, 404, TLS failures or digest mismatches, which a retry cannot fix.
 */
final class Retries {
  private Retries() {}

  /** @return true when a request that failed with {@code e} may succeed if sent again */
  static boolean isRecoverable(IOException e) {
    if (e instanceof SocketTimeoutException) {
      return true;
    }
    if (e instanceof InterruptedIOException || e instanceof UnknownHostException
        || e instanceof SSLException) {
      return false; // interrupted by the caller, a wrong name, or a TLS problem
    }
    return !isCertificateFailure(e);
  }

  /** @return true when the registry answered with a status that means "try again later" */
  static boolean isRecoverable(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  /** @return true when {@code t} or a cause is a certificate trust or host name failure */
  static boolean isCertificateFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CertificateException || c instanceof CertPathValidatorException
          || c instanceof SSLPeerUnverifiedException) {
        return true;
      }
    }
    return false;
  }

  /** @return the Retry-After header (delta seconds or an HTTP date) as a duration, or null */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException garbled) {
        return null;
      }
    }
  }
}
