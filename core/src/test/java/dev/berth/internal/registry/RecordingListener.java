package dev.berth.internal.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event, for tests to assert on. */
final class RecordingListener implements RegistryListener {
  record Retry(String request, int attempt, Duration delay, String reason) {}

  record Resume(String digest, long offset, boolean resumed) {}

  final List<Retry> retries = new CopyOnWriteArrayList<>();
  final List<Resume> resumes = new CopyOnWriteArrayList<>();
  final List<String> fallbacks = new CopyOnWriteArrayList<>();

  void clear() {
    retries.clear();
    resumes.clear();
    fallbacks.clear();
  }

  @Override
  public void onRetry(String registry, String request, int attempt, Duration delay,
      String reason) {
    retries.add(new Retry(request, attempt, delay, reason));
  }

  @Override
  public void onFallback(String from, String to, String reason) {
    fallbacks.add(from + " -> " + to);
  }

  @Override
  public void onResume(String digest, long offset, boolean resumed) {
    resumes.add(new Resume(digest, offset, resumed));
  }
}
