package dev.berth.internal.registry;

import java.time.Duration;

/**
 * Hears what the registry client does behind the caller's back: retries, fallbacks, resumed
 * downloads. The client never prints; callers turn these into progress events or logs. Methods
 * are called on the requesting thread and must return quickly.
 */
public interface RegistryListener {

  /** A listener that ignores everything. */
  RegistryListener NONE = new RegistryListener() {};

  /**
   * A request failed in a recoverable way and will be tried again.
   *
   * @param registry host[:port] of the registry
   * @param request method and path, e.g. {@code GET /v2/library/node/manifests/latest}
   * @param attempt the attempt that failed, starting at 1
   * @param delay how long the client waits before the next attempt
   * @param reason the status or I/O failure, for a person to read
   */
  default void onRetry(String registry, String request, int attempt, Duration delay,
      String reason) {}

  /**
   * The client gave up on one endpoint and tries the next: a docker.io mirror, or plain HTTP after
   * HTTPS for an insecure or loopback registry.
   *
   * @param from the base URL given up on
   * @param to the base URL tried next
   * @param reason why the first one failed
   */
  default void onFallback(String from, String to, String reason) {}

  /**
   * A blob download broke off and continues from an offset.
   *
   * @param digest the blob
   * @param offset bytes already received and kept
   * @param resumed true when the registry honoured {@code Range}, false when it sent the whole
   *     blob again and the client skipped the bytes it already had
   */
  default void onResume(String digest, long offset, boolean resumed) {}
}
