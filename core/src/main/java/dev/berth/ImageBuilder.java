package dev.berth;

import dev.berth.internal.archive.ArchiveFormat;
import dev.berth.internal.build.ContainerfileBuild;
import dev.berth.internal.build.ImageOutput;
import dev.berth.internal.build.Step;
import dev.berth.internal.build.StepFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds an image without a daemon: from a base image (pulled when missing) or scratch, adding
 * layers of files and of commands run in a container of the image so far, and setting its config.
 * Immutable: every method returns a new builder, so one can be the start of several images.
 *
 * <pre>{@code
 * Image app = ImageBuilder.from("busybox")
 *     .copy(Path.of("build/app"), "/app/")
 *     .run("sh", "-c", "chmod +x /app/start")
 *     .env("MODE", "prod")
 *     .workingDir("/app")
 *     .cmd("/app/start")
 *     .build(berth, "myapp:1.0");
 * }</pre>
 *
 * <p>Builds are reproducible: copied files get a fixed mtime and root ownership unless told
 * otherwise, tar entries are sorted with numeric owners, and configs carry a fixed creation time
 * ({@link #created}), so the same inputs give the same digests. Steps that add layers are cached
 * in the store as Docker caches them: an unchanged step is not run again.
 *
 * <p>Containerfiles (Dockerfiles) are built with {@link #build(Berth, BuildOptions)}.
 */
public final class ImageBuilder {
  /** The default time of configs, history and copied files: 1970-01-01T00:00:00Z. */
  public static final Instant DEFAULT_TIME = Instant.EPOCH;

  /** The base, steps and settings, and how they are built: the recipe's; this class is the API. */
  private final BuildRecipe recipe;

  private ImageBuilder(BuildRecipe recipe) {
    this.recipe = recipe;
  }

  /**
   * @param image the base image reference, e.g. {@code busybox} or {@code debian:12}
   * @return a builder of an image on top of {@code image}
   */
  public static ImageBuilder from(String image) {
    ImageRef.parse(Objects.requireNonNull(image, "image"));
    return new ImageBuilder(BuildRecipe.of(image));
  }

  /** @return a builder of an image with no base: nothing but what is added */
  public static ImageBuilder scratch() {
    return new ImageBuilder(BuildRecipe.of(null));
  }

  private ImageBuilder with(Function<StepFactory, List<Step>> step) {
    return new ImageBuilder(recipe.with(step));
  }

  /**
   * Sets an environment variable ({@code ENV name=value}).
   *
   * @param name the variable's name
   * @param value its value
   * @return this builder
   */
  public ImageBuilder env(String name, String value) {
    StepFactory.checkEnvName(name);
    Objects.requireNonNull(value, "value of " + name);
    return with(f -> List.of(f.env(List.of(name + "=" + value))));
  }

  /**
   * Sets the entrypoint, exec form ({@code ENTRYPOINT ["a","b"]}); none clears it.
   *
   * @param argv the program and its arguments
   * @return this builder
   */
  public ImageBuilder entrypoint(String... argv) {
    List<String> a = List.of(argv);
    return with(f -> List.of(f.entrypoint(a)));
  }

  /**
   * Sets the default command, exec form ({@code CMD ["a","b"]}).
   *
   * @param argv the program and its arguments
   * @return this builder
   */
  public ImageBuilder cmd(String... argv) {
    List<String> a = List.of(argv);
    return with(f -> List.of(f.cmd(a)));
  }

  /**
   * Sets the working directory ({@code WORKDIR}); a relative one is taken from the current.
   *
   * @param dir the directory
   * @return this builder
   */
  public ImageBuilder workingDir(String dir) {
    Objects.requireNonNull(dir, "dir");
    return with(f -> List.of(f.workdir(dir)));
  }

  /**
   * Sets the user: {@code name}, {@code uid}, {@code uid:gid} or {@code name:group}.
   *
   * @param user the user
   * @return this builder
   */
  public ImageBuilder user(String user) {
    Objects.requireNonNull(user, "user");
    return with(f -> List.of(f.user(user)));
  }

  /**
   * Declares a port: {@code 8080}, {@code 8080/tcp} or {@code 53/udp}.
   *
   * @param port the port, with an optional protocol
   * @return this builder
   */
  public ImageBuilder expose(String port) {
    StepFactory.checkPort(port);
    return with(f -> List.of(f.expose(List.of(port))));
  }

  /**
   * Adds a label.
   *
   * @param key the label's name
   * @param value its value
   * @return this builder
   */
  public ImageBuilder label(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value of label " + key);
    return with(f -> List.of(f.labels(List.of(key), List.of(value))));
  }

  /**
   * Declares a volume path ({@code VOLUME /data}).
   *
   * @param path an absolute path in the image
   * @return this builder
   */
  public ImageBuilder volume(String path) {
    Objects.requireNonNull(path, "path");
    return with(f -> List.of(f.volumes(List.of(path))));
  }

  /**
   * Sets the stop signal, e.g. {@code SIGINT} or {@code 2}.
   *
   * @param signal a signal's name or number
   * @return this builder
   */
  public ImageBuilder stopSignal(String signal) {
    Objects.requireNonNull(signal, "signal");
    return with(f -> List.of(f.stopSignal(signal)));
  }

  /**
   * Sets the health check: {@code test} is {@code ["CMD", argv…]}, {@code ["CMD-SHELL", cmd]} or
   * {@code ["NONE"]}; null durations and 0 retries mean Docker's defaults.
   *
   * @param test the check's command, in one of the forms above
   * @param interval time between checks, or null
   * @param timeout time a check may take, or null
   * @param startPeriod time after start when failures do not count, or null
   * @param retries failures in a row that make it unhealthy, or 0
   * @return this builder
   */
  public ImageBuilder healthcheck(List<String> test, Duration interval, Duration timeout,
      Duration startPeriod, int retries) {
    List<String> t = List.copyOf(test);
    return with(f -> List.of(f.healthcheck(t, interval, timeout, startPeriod, retries)));
  }

  /**
   * Adds a layer with a file or directory tree (a directory's contents go into {@code dest}),
   * owned by root, modes kept, mtimes set to {@link #created}. A {@code dest} ending in
   * {@code /} is a directory.
   *
   * @param source a host file or directory
   * @param dest the path in the image
   * @return this builder
   */
  public ImageBuilder copy(Path source, String dest) {
    return copy(source, dest, 0, 0, null);
  }

  /**
   * Adds a layer with a file or directory tree, with the given owner and, unless null, mode.
   *
   * @param source a host file or directory
   * @param dest the path in the image
   * @param uid the owner's uid
   * @param gid the owner's gid
   * @param mode the permission bits, or null to keep the host's
   * @return this builder
   * @throws IllegalArgumentException when a uid or gid is negative or the mode not in 0..07777
   */
  public ImageBuilder copy(Path source, String dest, int uid, int gid, Integer mode) {
    StepFactory.checkOwner(uid, gid, mode);
    Path src = source.toAbsolutePath().normalize();
    return with(f -> List.of(f.copyHost(src, dest, uid, gid, mode)));
  }

  /**
   * Adds a layer with the contents of a tar archive (plain, gzip or zstd) under {@code dir}.
   *
   * @param tar the archive on the host
   * @param dir the directory in the image to unpack into
   * @return this builder
   */
  public ImageBuilder addTar(Path tar, String dir) {
    Path src = tar.toAbsolutePath().normalize();
    return with(f -> List.of(f.addTar(src, dir)));
  }

  /**
   * Runs a command (exec form) in a container of the image so far; its changes are a layer.
   *
   * @param argv the program and its arguments
   * @return this builder
   */
  public ImageBuilder run(String... argv) {
    if (argv.length == 0) {
      throw new IllegalArgumentException("run needs a command, e.g. run(\"sh\", \"-c\", \"make\")");
    }
    List<String> a = Arrays.asList(argv.clone());
    return with(f -> List.of(f.run(a, true)));
  }

  /**
   * The creation time written into the config and history (default {@link #DEFAULT_TIME}).
   *
   * @param created the time to write
   * @return this builder
   */
  public ImageBuilder created(Instant created) {
    return new ImageBuilder(recipe.created(Objects.requireNonNull(created)));
  }

  /**
   * Whether {@code run} steps share the host's network (default true, as Docker builds).
   *
   * @param hostNetwork false to run the steps without a network
   * @return this builder
   */
  public ImageBuilder hostNetwork(boolean hostNetwork) {
    return new ImageBuilder(recipe.hostNetwork(hostNetwork));
  }

  /**
   * Whether every step runs even when the cache has its result (default false).
   *
   * @param noCache true to run every step
   * @return this builder
   */
  public ImageBuilder noCache(boolean noCache) {
    return new ImageBuilder(recipe.noCache(noCache));
  }

  /**
   * Who hears about each step and gets the output of {@code run} steps.
   *
   * @param listener hears each step
   * @return this builder
   */
  public ImageBuilder listener(BuildListener listener) {
    return new ImageBuilder(recipe.listener(Objects.requireNonNull(listener)));
  }

  /**
   * Builds into the store of {@code berth}, tagged with {@code tags} (none: untagged).
   *
   * @param berth the engine whose store gets the image
   * @param tags names for the image, e.g. {@code app:1}
   * @return the built image
   * @throws BuildFailedException when a {@code run} step exits non-zero
   * @throws ImageNotFoundException when the base image is neither stored nor pullable
   * @throws BerthException when a file to copy is missing or a step cannot be done
   */
  public Image build(Berth berth, String... tags) {
    var record = new ImageOutput(berth.engine(), recipe.finish(berth.engine()))
        .store(List.of(tags));
    return new Image(berth, tags.length > 0 ? tags[0] : record.id(), record);
  }

  /**
   * Builds into the default engine's store. @see #build(Berth, String...)
   *
   * @param tags names for the image, e.g. {@code app:1}
   * @return the built image
   */
  public Image build(String... tags) {
    return build(Berth.defaultEngine(), tags);
  }

  /**
   * Builds and writes the image as an OCI image layout directory (new or empty), named by tags.
   *
   * @param berth the engine that builds it
   * @param dir the layout directory to write
   * @param tags names for the image in the layout's index
   * @see #build(Berth, String...)
   */
  public void toOciLayout(Berth berth, Path dir, String... tags) {
    save(berth, dir, ArchiveFormat.OCI_DIR, tags);
  }

  /**
   * Builds and writes the image as an {@code oci-archive} tar file.
   *
   * @param berth the engine that builds it
   * @param file the tar file to write
   * @param tags names for the image in the archive
   */
  public void toOciArchive(Berth berth, Path file, String... tags) {
    save(berth, file, ArchiveFormat.OCI_ARCHIVE, tags);
  }

  /**
   * Builds and writes the image as a {@code docker save} tar file.
   *
   * @param berth the engine that builds it
   * @param file the tar file to write
   * @param tags names for the image in the archive
   */
  public void toDockerArchive(Berth berth, Path file, String... tags) {
    save(berth, file, ArchiveFormat.DOCKER_ARCHIVE, tags);
  }

  /**
   * Builds and pushes the image straight to a registry, as {@code reference}.
   *
   * @param berth the engine that builds it and holds the credentials
   * @param reference where to push, e.g. {@code localhost:5000/app:1}
   * @return the digest of the pushed manifest
   * @throws AuthenticationException when the registry refuses the credentials
   * @throws RegistryException when the registry cannot be reached or refuses the push
   */
  public Digest push(Berth berth, String reference) {
    return new ImageOutput(berth.engine(), recipe.finish(berth.engine())).push(reference);
  }

  private void save(Berth berth, Path target, ArchiveFormat format, String... tags) {
    new ImageOutput(berth.engine(), recipe.finish(berth.engine())).save(target, format,
        List.of(tags));
  }

  /**
   * Builds a Containerfile (Dockerfile) into the store of {@code berth}, as
   * {@code docker build -t tag -f file context}.
   *
   * @param berth the engine whose store gets the image
   * @param options the context, Containerfile, tags and build args
   * @return the built image
   * @throws BuildFailedException when a RUN step exits non-zero
   * @throws BerthException naming the line, when the Containerfile is malformed or uses an
   *     unsupported instruction, or a COPY source is missing
   */
  public static Image build(Berth berth, BuildOptions options) {
    var record = ContainerfileBuild.build(berth.engine(), options);
    List<String> tags = options.tags();
    return new Image(berth, tags.isEmpty() ? record.id() : tags.get(0), record);
  }

  @Override
  public String toString() {
    return "ImageBuilder{from=" + (recipe.base() == null ? "scratch" : recipe.base())
        + ", steps=" + recipe.steps().size()
        + "}";
  }
}
