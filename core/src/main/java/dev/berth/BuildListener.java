package dev.berth;

import java.io.OutputStream;

/**
 * Hears what an image build does: each step as it completes (ran or taken from the cache), and
 * the output of RUN commands. The library prints nothing itself.
 *
 * <pre>{@code
 * BuildListener print = new BuildListener() {
 *   public void onStep(BuildStep s) { System.out.println(s); }
 *   public OutputStream output() { return System.out; }
 * };
 * }</pre>
 */
public interface BuildListener {
  /** Hears nothing. */
  BuildListener NONE = step -> {};

  /**
   * Called after each step, in order.
   *
   * @param step the step that finished, with its instruction and whether it came from the cache
   */
  void onStep(BuildStep step);

  /** @return where RUN commands' stdout and stderr go (default: nowhere) */
  default OutputStream output() {
    return OutputStream.nullOutputStream();
  }
}
