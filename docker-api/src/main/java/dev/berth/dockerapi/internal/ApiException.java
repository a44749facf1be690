package dev.berth.dockerapi.internal;

/**
 * A failed request as Docker answers it: an HTTP status and {@code {"message": …}}. Handlers
 * throw it; {@link Router} writes it.
 */
public final class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public ApiException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, message);
  }

  /** Docker's answer for what Berth cannot do: 501 with a message that names it. */
  public static ApiException notImplemented(String what) {
    return new ApiException(501, what + " is not supported by Berth's Docker API");
  }
}
