package dev.berth.testimages;

/**
 * A test image could not be built, read or pushed. The message names the image and what to do;
 * when an external tool (skopeo, debootstrap, apt-get) failed, {@link #toolOutput()} holds what it
 * printed on stderr.
 */
public final class TestImageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String toolOutput;

  TestImageException(String message) {
    this(message, "", null);
  }

  TestImageException(String message, Throwable cause) {
    this(message, "", cause);
  }

  TestImageException(String message, String toolOutput, Throwable cause) {
    super(toolOutput.isBlank() ? message : message + "\n" + toolOutput.strip(), cause);
    this.toolOutput = toolOutput;
  }

  /** What the failing external tool wrote to stderr, or an empty string. */
  public String toolOutput() {
    return toolOutput;
  }
}
