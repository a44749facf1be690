package dev.berth.internal.registry;

import java.time.Duration;

/**
 * How often and how patiently a failed registry request is tried again. Which failures qualify is
 * decided in one place, {@link Retries#isRecoverable}.
 *
 * @param maxAttempts total attempts including the first, at least 1
 * @param initialBackoff the wait before the second attempt; doubled for each further one
 * @param maxBackoff the longest wait between attempts, also the cap on a server's Retry-After
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  /** Four attempts, waiting 200 ms, 400 ms, 800 ms; Retry-After honoured up to 10 s. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(10));

  /** A policy that never retries. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

  /** @throws IllegalArgumentException when attempts are below 1 or a duration is negative */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "retry maxAttempts is " + maxAttempts + ": use 1 (no retries) or more");
    }
    if (initialBackoff == null || initialBackoff.isNegative()
        || maxBackoff == null || maxBackoff.isNegative()) {
      throw new IllegalArgumentException(
          "retry backoffs must be zero or positive durations, got initial=" + initialBackoff
              + " max=" + maxBackoff);
    }
  }

  /**
   * @param attempt the attempt that just failed, starting at 1
   * @param retryAfter the server's Retry-After, or null
   * @return how long to wait before the next attempt
   */
  Duration backoff(int attempt, Duration retryAfter) {
    Duration wait = retryAfter != null
        ? retryAfter
        : initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
