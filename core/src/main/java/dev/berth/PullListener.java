package dev.berth;

/**
 * Receives {@link PullProgress} events while an image is pulled. Called from download threads:
 * implementations must be thread-safe and quick.
 *
 * <pre>{@code
 * Image.pull("node", p -> System.out.println(p));
 * }</pre>
 */
@FunctionalInterface
public interface PullListener {
  /** A listener that ignores every event. */
  PullListener NONE = p -> { };

  /** @param progress the step that just happened */
  void onProgress(PullProgress progress);
}
