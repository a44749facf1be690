package dev.berth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to build a Containerfile, as the flags of {@code docker build}: the context directory, the
 * file, tags, build args, target stage. Immutable; {@link #toBuilder()} makes variants.
 *
 * <pre>{@code
 * Image img = ImageBuilder.build(berth, BuildOptions.builder(Path.of("."))
 *     .file(Path.of("Containerfile"))        // default: Containerfile, else Dockerfile
 *     .tag("myapp:1.0")
 *     .buildArg("VERSION", "1.0")
 *     .build());
 * }</pre>
 */
public final class BuildOptions {
  private final Path context;
  private final Path file;
  private final List<String> tags;
  private final Map<String, String> buildArgs;
  private final String target;
  private final boolean noCache;
  private final boolean hostNetwork;
  private final Instant created;
  private final BuildListener listener;
  private final Map<String, RegistryAuth> registryAuths;

  private BuildOptions(Builder b) {
    this.context = b.context;
    this.file = b.file;
    this.tags = List.copyOf(b.tags);
    this.buildArgs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.buildArgs));
    this.target = b.target;
    this.noCache = b.noCache;
    this.hostNetwork = b.hostNetwork;
    this.created = b.created;
    this.listener = b.listener;
    this.registryAuths = Map.copyOf(b.registryAuths);
  }

  /**
   * @param context the build context directory (COPY sources are relative to it)
   * @return a builder for a build of {@code context}
   */
  public static Builder builder(Path context) {
    return new Builder(context);
  }

  /** @return a builder holding these options */
  public Builder toBuilder() {
    Builder b = new Builder(context);
    b.file = file;
    b.tags.addAll(tags);
    b.buildArgs.putAll(buildArgs);
    b.target = target;
    b.noCache = noCache;
    b.hostNetwork = hostNetwork;
    b.created = created;
    b.listener = listener;
    b.registryAuths.putAll(registryAuths);
    return b;
  }

  /** @return the context directory */
  public Path context() {
    return context;
  }

  /**
   * @return the Containerfile: the one set, else {@code Containerfile} in the context, else
   *     {@code Dockerfile} there
   */
  public Path file() {
    if (file != null) {
      return file;
    }
    Path containerfile = context.resolve("Containerfile");
    return Files.exists(containerfile) ? containerfile : context.resolve("Dockerfile");
  }

  /** @return the names the image gets ({@code -t}), maybe none */
  public List<String> tags() {
    return tags;
  }

  /** @return the build args ({@code --build-arg}), in the order given */
  public Map<String, String> buildArgs() {
    return buildArgs;
  }

  /** @return the stage to build ({@code --target}), or null for the last */
  public String target() {
    return target;
  }

  /** @return whether every step runs even when cached ({@code --no-cache}) */
  public boolean noCache() {
    return noCache;
  }

  /** @return whether RUN shares the host's network (default true, {@code --network host}) */
  public boolean hostNetwork() {
    return hostNetwork;
  }

  /** @return the time written into the config and history (default 1970-01-01T00:00:00Z) */
  public Instant created() {
    return created;
  }

  /** @return who hears about the steps and gets RUN output */
  public BuildListener listener() {
    return listener;
  }

  /** @return credentials for pulling base images, by registry ({@code host:port}, {@code docker.io}) */
  public Map<String, RegistryAuth> registryAuths() {
    return registryAuths;
  }

  @Override
  public String toString() {
    return "BuildOptions{context=" + context + ", file=" + file() + ", tags=" + tags
        + ", buildArgs=" + buildArgs.keySet() + (target != null ? ", target=" + target : "")
        + (noCache ? ", no-cache" : "") + "}";
  }

  /** Builds {@link BuildOptions}. */
  public static final class Builder {
    private final Path context;
    private Path file;
    private final List<String> tags = new ArrayList<>();
    private final Map<String, String> buildArgs = new LinkedHashMap<>();
    private String target;
    private boolean noCache;
    private boolean hostNetwork = true;
    private Instant created = ImageBuilder.DEFAULT_TIME;
    private BuildListener listener = BuildListener.NONE;
    private final Map<String, RegistryAuth> registryAuths = new LinkedHashMap<>();

    private Builder(Path context) {
      this.context = Objects.requireNonNull(context, "context").toAbsolutePath().normalize();
    }

    /**
     * The Containerfile ({@code -f}); a relative path is taken from the working directory.
     *
     * @param file the Containerfile's path
     * @return this builder
     */
    public Builder file(Path file) {
      this.file = Objects.requireNonNull(file).toAbsolutePath().normalize();
      return this;
    }

    /**
     * Adds a name ({@code -t}).
     *
     * @param tag a reference, e.g. {@code app:1}
     * @return this builder
     */
    public Builder tag(String tag) {
      ImageRef.parse(Objects.requireNonNull(tag, "tag"));
      tags.add(tag);
      return this;
    }

    /**
     * Sets a build arg ({@code --build-arg NAME=value}).
     *
     * @param name the {@code ARG}'s name
     * @param value its value
     * @return this builder
     */
    public Builder buildArg(String name, String value) {
      if (name == null || name.isEmpty() || name.contains("=")) {
        throw new IllegalArgumentException("invalid build arg name '" + name
            + "': it must be non-empty and contain no '='");
      }
      buildArgs.put(name, Objects.requireNonNull(value, "value of build arg " + name));
      return this;
    }

    /**
     * Builds only up to this stage ({@code --target}).
     *
     * @param stage a stage's name ({@code FROM … AS name})
     * @return this builder
     */
    public Builder target(String stage) {
      this.target = stage;
      return this;
    }

    /**
     * Runs every step even when cached ({@code --no-cache}).
     *
     * @param noCache true to run every step
     * @return this builder
     */
    public Builder noCache(boolean noCache) {
      this.noCache = noCache;
      return this;
    }

    /**
     * Whether RUN shares the host's network (default true).
     *
     * @param hostNetwork false to run RUN steps without a network
     * @return this builder
     */
    public Builder hostNetwork(boolean hostNetwork) {
      this.hostNetwork = hostNetwork;
      return this;
    }

    /**
     * The time written into the config and history, and given to copied files.
     *
     * @param created the time to write
     * @return this builder
     */
    public Builder created(Instant created) {
      this.created = Objects.requireNonNull(created);
      return this;
    }

    /**
     * Who hears about the steps and gets RUN output.
     *
     * @param listener hears each step and gets RUN output
     * @return this builder
     */
    public Builder listener(BuildListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /**
     * Credentials for pulling {@code FROM} images of {@code registry}, for this build only (as
     * {@code docker build} sends the logins it has); they replace the engine's for that registry.
     *
     * @param registry {@code host[:port]} as in image references, or a URL as
     *     {@code docker login} takes it ({@code https://index.docker.io/v1/} is Docker Hub)
     * @param auth the credentials
     * @return this builder
     */
    public Builder registryAuth(String registry, RegistryAuth auth) {
      registryAuths.put(dev.berth.internal.registry.RegistryClient.registryName(
          Objects.requireNonNull(registry, "registry")), Objects.requireNonNull(auth, "auth"));
      return this;
    }

    /** @return the immutable options */
    public BuildOptions build() {
      return new BuildOptions(this);
    }
  }
}
