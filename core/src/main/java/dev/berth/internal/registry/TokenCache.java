package dev.berth.internal.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Bearer tokens per (registry endpoint, scope), kept until shortly before they expire. */
final class TokenCache {
  /** Tokens are dropped this long before their stated expiry, so none expires in flight. */
  static final Duration MARGIN = Duration.ofSeconds(10);

  private final Clock clock;
  private final Map<String, Entry> tokens = new ConcurrentHashMap<>();

  private record Entry(String token, Instant validUntil) {}

  TokenCache(Clock clock) {
    this.clock = clock;
  }

  /** @return the cached token, or null when there is none or it is about to expire */
  String get(String hostPort, String scope) {
    Entry e = tokens.get(hostPort + " " + scope);
    return e != null && clock.instant().isBefore(e.validUntil()) ? e.token() : null;
  }

  /** Caches a token valid for {@code lifetime}; short-lived tokens keep at least half of it. */
  void put(String hostPort, String scope, String token, Duration lifetime) {
    Duration margin = MARGIN.compareTo(lifetime.dividedBy(2)) < 0 ? MARGIN : lifetime.dividedBy(2);
    tokens.put(hostPort + " " + scope, new Entry(token, clock.instant().plus(lifetime).minus(margin)));
  }
}
