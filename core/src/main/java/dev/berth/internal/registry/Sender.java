package dev.berth.internal.registry;

import dev.berth.RegistryException;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends one request, retrying it by {@link Retries} with the configured backoff. The only loop in
 * the client that retries; everything above it sees a final response or a final failure.
 */
final class Sender {
  private final RetryPolicy policy;
  private final RegistryListener listener;

  Sender(RetryPolicy policy, RegistryListener listener) {
    this.policy = policy;
    this.listener = listener;
  }

  /**
   * @param registry for events
   * @param request builds the request for each attempt (bodies are made afresh)
   * @param replayable false for requests whose body cannot be sent twice: no retries then
   * @return the final response: a success, or a failure retrying cannot fix, or the last attempt
   * @throws IOException the last connection failure
   */
  Response send(OkHttpClient client, String registry, Supplier<Request> request,
      boolean replayable) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Request req = request.get();
      boolean last = !replayable || attempt >= policy.maxAttempts();
      Response resp;
      try {
        resp = client.newCall(req).execute();
      } catch (IOException e) {
        if (last || !Retries.isRecoverable(e)) {
          throw e;
        }
        pause(registry, req, attempt, null, e.toString());
        continue;
      }
      if (last || !Retries.isRecoverable(resp.code())) {
        return resp;
      }
      Duration retryAfter = Retries.retryAfter(resp.header("Retry-After"));
      String reason = resp.code() + " " + resp.message();
      resp.close();
      pause(registry, req, attempt, retryAfter, reason);
    }
  }

  private void pause(String registry, Request req, int attempt, Duration retryAfter,
      String reason) {
    Duration wait = policy.backoff(attempt, retryAfter);
    listener.onRetry(registry, req.method() + " " + req.url().encodedPath(), attempt, wait,
        reason);
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted while waiting to retry " + req.method() + " "
          + req.url() + " on " + registry, e);
    }
  }
}
