package dev.berth;

/**
 * The images of the {@linkplain Berth#defaultEngine() default engine}, as {@code docker images},
 * {@code docker rmi} and {@code docker image prune}.
 *
 * <pre>{@code
 * System.out.println(Images.list());          // the docker images table
 * Images.remove("node:20", false);            // untags, or deletes when it was the last name
 * Images.prune();                             // deletes untagged images no container uses
 * }</pre>
 *
 * <p>An engine of your own has the same methods: {@link Berth#images()},
 * {@link Berth#removeImage}, {@link Berth#pruneImages()}.
 */
public final class Images {
  private Images() {}

  /** @return every stored image; {@code toString()} prints the {@code docker images} table */
  public static ImageList list() {
    return Berth.defaultEngine().images();
  }

  /**
   * Removes an image as {@code docker rmi} does.
   *
   * @param reference a name, an image id or a unique id prefix
   * @param force remove it even when containers use it, and every name of it
   * @return what was untagged and what was deleted
   * @see Berth#removeImage(String, boolean)
   */
  public static ImageRemoval remove(String reference, boolean force) {
    return Berth.defaultEngine().removeImage(reference, force);
  }

  /**
   * Deletes untagged images that no container uses, and all unused layers and blobs.
   *
   * @return the images and blobs deleted, with the bytes reclaimed
   * @see Berth#pruneImages()
   */
  public static ImageRemoval prune() {
    return Berth.defaultEngine().pruneImages();
  }
}
