package dev.berth;

import dev.berth.internal.runtime.DockerText;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.util.Rfc3339;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
   * @param reference e.g. {@code node}, {@code node:20}, {@code localhost:5000/app@sha256:…}
   * @return the pulled image
   * @see Berth#pull(String)
   */
  public static Image pull(String reference) {
    return Berth.defaultEngine().pull(reference);
  }

  /**
   * Pulls an image with the default engine, publishing progress to {@code listener}.
   *
   * @param reference as {@link #pull(String)} takes it
   * @param listener hears each step of the pull
   * @return the pulled image
   * @see Berth#pull(String, PullListener)
   */
  public static Image pull(String reference, PullListener listener) {
    return Berth.defaultEngine().pull(reference, listener);
  }

  /**
   * A stored image of the default engine; nothing is downloaded.
   *
   * @param reference a name, an image id or a unique id prefix
   * @return the stored image
   * @throws ImageNotFoundException when no stored image matches
   */
  public static Image get(String reference) {
    return Berth.defaultEngine().image(reference);
  }

  /**
   * Stores the images of an archive with the default engine.
   *
   * @param archive a tar file (plain, gzip or zstd) or an OCI layout directory
   * @return the images the archive held
   * @see Berth#load(Path)
   */
  public static List<Image> load(Path archive) {
    return Berth.defaultEngine().load(archive);
  }

  ImageRecord record() {
    return record;
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
    return berth.backend().inspect(record);
  }

  /**
   * Starts a container of this image with {@code command} as its CMD ({@code docker run IMAGE
   * command…}); no arguments runs the image's default command.
   *
   * @param command the CMD; none for the image's default
   * @return the started container
   * @throws ContainerStartException when the process cannot be started
   */
  public Container run(String... command) {
    return run(command.length == 0 ? RunOptions.builder().build() : RunOptions.command(command));
  }

  /**
   * Starts a container of this image.
   *
   * @param options what to run and how
   * @return the started container
   * @throws ContainerStartException when the process cannot be started (with stage and errno)
   * @throws BerthException when the name is taken or the options do not fit the image
   */
  public Container run(RunOptions options) {
    return Container.of(berth.backend().start(record, name, options));
  }

  /**
   * Creates a container of this image without starting it, as {@code docker create}: its
   * directory, name, volumes and record are made, and it reads {@code CREATED} until
   * {@link Container#start()}.
   *
   * @param options what to run and how
   * @return the created container, not started
   * @throws BerthException when the name is taken or the options do not fit the image
   */
  public Container create(RunOptions options) {
    return Container.of(berth.backend().create(record, name, options));
  }

  /**
   * Gives this image another name, as {@code docker tag}.
   *
   * @param reference the new name, e.g. {@code localhost:5000/app:1}
   * @return the image under its new name
   */
  public Image tag(String reference) {
    return new Image(berth, reference, berth.backend().tag(record, reference));
  }

  /**
   * Writes every layer, base first and with whiteouts applied, into a plain directory: the root
   * file system a container of this image starts with, as {@code umoci unpack}'s
   * {@code rootfs} or {@code crane export}. Owners and devices are kept only when run as root.
   *
   * @param dir a new or empty directory (created when missing)
   * @throws ImageNotFoundException when the image was removed from the store meanwhile
   * @throws BerthException when {@code dir} is not empty or cannot be written (a full disk says
   *     so); what was written so far is left for the caller to remove
   */
  public void unpackTo(Path dir) {
    berth.backend().unpack(record, dir);
  }

  /**
   * Writes this image, with its names, to a {@code docker save} tar ({@link
   * SaveFormat#DOCKER_ARCHIVE}, Docker's default), which {@code docker load}, {@code podman
   * load} and {@link Berth#load} read. The file appears whole or not at all.
   *
   * @param archive the tar file to write
   * @throws ImageNotFoundException when the image was removed from the store meanwhile
   * @throws BerthException naming the path when it cannot be written
   */
  public void save(Path archive) {
    save(archive, SaveFormat.DOCKER_ARCHIVE);
  }

  /**
   * Writes this image, with its names, in {@code format}.
   *
   * @param target a file for the tar formats; a new or empty directory for
   *     {@link SaveFormat#OCI_LAYOUT}
   * @param format the archive or layout to write
   * @throws ImageNotFoundException when the image was removed from the store meanwhile
   * @throws BerthException naming the path when it cannot be written
   */
  public void save(Path target, SaveFormat format) {
    berth.backend().save(record, target, format);
  }

  /**
   * Pushes this image to a registry under {@code reference}, as {@code docker push}: blobs the
   * registry lacks are mounted from the repository the image was pulled from (same registry) or
   * uploaded, then the manifest. A pulled image's stored manifest is put unchanged, so the pushed
   * image has this image's {@link #manifestDigest()}. Layers kept as plain tars (an image built
   * or loaded here) are gzipped on their first push, as Docker does, so that push returns another
   * digest; the compressed forms are kept, so pushing again sends the same bytes.
   *
   * @param reference e.g. {@code registry.example:5000/team/app:1.0}
   * @return the digest of the pushed manifest
   * @throws ImageNotFoundException when the image was removed from the store meanwhile
   * @throws AuthenticationException when the registry refuses the credentials
   * @throws RegistryException when the registry cannot be reached or refuses the content
   */
  public Digest push(String reference) {
    return berth.backend().push(record, reference, null);
  }

  /**
   * Pushes this image with credentials for this push only: {@code auth} is presented to the
   * target's registry in place of any configured for it, and is not kept.
   *
   * @param reference where to push it, as {@link #push(String)} takes it
   * @param auth the credentials, or null for the engine's own
   * @return the digest of the pushed manifest
   * @throws AuthenticationException when the registry refuses them, naming the registry and
   *     the repository
   * @see #push(String)
   */
  public Digest push(String reference, RegistryAuth auth) {
    return berth.backend().push(record, reference, auth);
  }

  /** @return {@code docker.io/library/node:latest  sha256:3f4c…(12)  181MB  2 days ago} */
  @Override
  public String toString() {
    String tag = record.repoTags().isEmpty() ? "<none>" : record.repoTags().get(0);
    String created = record.created() == null ? "" : "  " + DockerText.ago(
        Duration.between(Rfc3339.parse(record.created()), Instant.now()));
    return tag + "  " + id().shortHex() + "  " + DockerText.size(record.size()) + created;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Image i && i.record.id().equals(record.id())
        && (i.berth == berth || i.berth.backend().home().isPresent()
            && i.berth.backend().home().equals(berth.backend().home()));
  }

  @Override
  public int hashCode() {
    return record.id().hashCode();
  }
}
