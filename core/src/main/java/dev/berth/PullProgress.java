package dev.berth;

/**
 * One step of a pull, for progress display: per layer, like Docker's progress lines
 * ({@code 3f4ca61aafcd: Downloading  12.5MB/48.2MB}).
 *
 * @param image the image being pulled
 * @param layer the layer's compressed digest, or null for image-level steps
 * @param status what is happening
 * @param current bytes done (downloaded or extracted) so far
 * @param total bytes in all, or -1 when unknown
 */
public record PullProgress(ImageRef image, Digest layer, Status status, long current,
    long total) {

  /** The steps, in the words Docker prints. */
  public enum Status {
    /** Resolving the reference to a manifest (image-level). */
    RESOLVING("Resolving"),
    /** The layer is already in the store. */
    ALREADY_EXISTS("Already exists"),
    /** Queued behind other downloads. */
    WAITING("Waiting"),
    /** Bytes arriving. */
    DOWNLOADING("Downloading"),
    /** A transient failure; the download is retried or resumed. */
    RETRYING("Retrying"),
    /** Hash checked. */
    VERIFYING("Verifying Checksum"),
    /** Unpacking the layer into the store. */
    EXTRACTING("Extracting"),
    /** The layer is in the store. */
    PULL_COMPLETE("Pull complete"),
    /** The whole image is stored (image-level). */
    DONE("Done");

    private final String words;

    Status(String words) {
      this.words = words;
    }

    /** @return the words Docker prints for this step */
    public String words() {
      return words;
    }
  }

  /** @return a line like Docker's: {@code 3f4ca61aafcd: Downloading 12.5MB/48.2MB} */
  @Override
  public String toString() {
    String id = layer != null ? layer.shortHex() : image.familiar();
    String amount = total > 0 && (status == Status.DOWNLOADING || status == Status.EXTRACTING)
        ? " " + human(current) + "/" + human(total) : "";
    return id + ": " + status.words() + amount;
  }

  private static String human(long bytes) {
    return dev.berth.internal.runtime.DockerText.size(bytes);
  }
}
