package dev.berth;

import dev.berth.internal.engine.ImageInspector;
import dev.berth.internal.runtime.DockerText;
import dev.berth.internal.store.ImageRecord;
import java.time.Duration;
import java.time.Instant;

/**
 * An image in the local store: pulled, loaded or built. Immutable: a snapshot of the store's
 * record when it was obtained.
 *
 * <pre>{@code
 * Image node = Image.pull("node");
 * System.out.println(node.inspect().cmd());     // [node]
 * try (Container c = node.run("node", "--version")) {
 *   System.out.println(new String(c.getInputStream().readAllBytes()));
 * }
 * }</pre>
 */
public final class Image {
  private final Berth berth;
  private final String name;
  private final ImageRecord record;

  Image(Berth berth, String name, ImageRecord record) {
    this.berth = berth;
    this.name = name;
    this.record = record;
  }

  /**
   * Pulls an image with the {@linkplain Berth#defaultEngine() default engine}.
   *
   * @see Berth#pull(String)
   */
  public static Image pull(String reference) {
    return Berth.defaultEngine().pull(reference);
  }

  /**
   * Pulls an image with the default engine, publishing progress to {@code listener}.
   *
   * @see Berth#pull(String, PullListener)
   */
  public static Image pull(String reference, PullListener listener) {
    return Berth.defaultEngine().pull(reference, listener);
  }

  /**
   * A stored image of the default engine; nothing is downloaded.
   *
   * @throws ImageNotFoundException when no stored image matches
   */
  public static Image get(String reference) {
    return Berth.defaultEngine().image(reference);
  }

  ImageRecord record() {
    return record;
  }

  Berth berth() {
    return berth;
  }

  /** @return the name this handle was obtained by, e.g. {@code node} */
  public String name() {
    return name;
  }

  /** @return the image id: the digest of its config, as Docker's */
  public Digest id() {
    return Digest.parse(record.id());
  }

  /** @return the digest of the manifest it was stored with */
  public Digest manifestDigest() {
    return Digest.parse(record.manifestDigest());
  }

  /** @return everything {@code docker image inspect} shows: config, layers, size, names */
  public ImageInfo inspect() {
    return ImageInspector.inspect(berth.engine().store(), record);
  }

  /**
   * Starts a container of this image with {@code command} as its CMD ({@code docker run IMAGE
   * command…}); no arguments runs the image's default command.
   *
   * @throws ContainerStartException when the process cannot be started
   */
  public Container run(String... command) {
    return run(command.length == 0 ? RunOptions.builder().build() : RunOptions.command(command));
  }

  /**
   * Starts a container of this image.
   *
   * @throws ContainerStartException when the process cannot be started (with stage and errno)
   * @throws BerthException when the name is taken or the options do not fit the image
   */
  public Container run(RunOptions options) {
    return Container.start(this, options);
  }

  /**
   * Gives this image another name, as {@code docker tag}.
   *
   * @return the image under its new name
   */
  public Image tag(String reference) {
    return new Image(berth, reference, berth.engine().tag(record, reference));
  }

  /** @return {@code docker.io/library/node:latest  sha256:3f4c…(12)  181MB  2 days ago} */
  @Override
  public String toString() {
    String tag = record.repoTags().isEmpty() ? "<none>" : record.repoTags().get(0);
    String created = record.created() == null ? "" : "  " + DockerText.ago(
        Duration.between(Instant.parse(record.created()), Instant.now()));
    return tag + "  " + id().shortHex() + "  " + DockerText.size(record.size()) + created;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Image i && i.record.id().equals(record.id())
        && i.berth.home().equals(berth.home());
  }

  @Override
  public int hashCode() {
    return record.id().hashCode();
  }
}
