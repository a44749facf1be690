package dev.berth.internal.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.berth.Digest;
import dev.berth.Platform;
import dev.berth.internal.util.JsonNamed;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An image config ({@link MediaTypes#OCI_CONFIG} or {@link MediaTypes#DOCKER_CONFIG}), with the
 * field names of the OCI image spec and Docker's config JSON. Read one with
 * {@link Manifests#parseConfig}.
 *
 * <p>Fields Berth does not use are dropped, so never re-serialise a config to hash or store it:
 * its digest (Docker's image id) is over the bytes the registry sent. Keep those bytes.
 *
 * @param created when the image was created, RFC 3339, or {@code null}
 * @param author who made the image, or {@code null}
 * @param architecture CPU architecture, e.g. {@code amd64}
 * @param os operating system, e.g. {@code linux}
 * @param osVersion operating system version (Windows images)
 * @param osFeatures required operating system features (Windows images)
 * @param variant CPU variant, e.g. {@code v8}
 * @param config how to run a container of the image; empty when the image says nothing
 * @param rootfs the layers' uncompressed digests, or {@code null} when missing
 * @param history how each layer was made, base layer first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageConfig(
    String created,
    String author,
    String architecture,
    String os,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures,
    String variant,
    ContainerConfig config,
    RootFs rootfs,
    List<History> history) implements JsonNamed {

  public ImageConfig {
    osFeatures = Copies.list(osFeatures);
    config = config == null ? ContainerConfig.EMPTY : config;
    history = Copies.list(history);
  }

  /** @return the diffIDs of the layers, base first; empty when the config has no rootfs */
  public List<Digest> diffIds() {
    return rootfs == null ? List.of() : rootfs.diffIds();
  }

  /**
   * @return the platform the image was built for
   * @throws IllegalArgumentException when the config lacks os or architecture
   */
  public Platform platform() {
    return new Platform(os, architecture, variant);
  }

  /**
   * The execution parameters of the image (Docker's {@code Config}).
   *
   * @param user user (and group) to run as, e.g. {@code alice} or {@code 1000:1000}
   * @param exposedPorts ports the image listens on, e.g. {@code 8080/tcp}
   * @param env environment as {@code NAME=value}
   * @param entrypoint the entrypoint, empty when none
   * @param cmd the default arguments (or command), empty when none
   * @param volumes paths the image expects to be volumes
   * @param workingDir working directory, or {@code null}
   * @param labels arbitrary metadata
   * @param stopSignal the signal that stops the container, e.g. {@code SIGTERM}, or {@code null}
   * @param healthcheck the health check, or {@code null}
   * @param shell the shell for the shell form of RUN/CMD/ENTRYPOINT (Docker)
   * @param argsEscaped Windows-only Docker flag
   * @param onBuild ONBUILD triggers (Docker)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record ContainerConfig(
      @JsonProperty("User") String user,
      @JsonProperty("ExposedPorts")
      @JsonDeserialize(using = ObjectKeys.Reader.class)
      @JsonSerialize(using = ObjectKeys.Writer.class)
      Set<String> exposedPorts,
      @JsonProperty("Env") List<String> env,
      @JsonProperty("Entrypoint") List<String> entrypoint,
      @JsonProperty("Cmd") List<String> cmd,
      @JsonProperty("Volumes")
      @JsonDeserialize(using = ObjectKeys.Reader.class)
      @JsonSerialize(using = ObjectKeys.Writer.class)
      Set<String> volumes,
      @JsonProperty("WorkingDir") String workingDir,
      @JsonProperty("Labels") Map<String, String> labels,
      @JsonProperty("StopSignal") String stopSignal,
      @JsonProperty("Healthcheck") HealthCheck healthcheck,
      @JsonProperty("Shell") List<String> shell,
      @JsonProperty("ArgsEscaped") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
      boolean argsEscaped,
      @JsonProperty("OnBuild") List<String> onBuild) implements JsonNamed {

    static final ContainerConfig EMPTY =
        new ContainerConfig(null, null, null, null, null, null, null, null, null, null, null,
            false, null);

    public ContainerConfig {
      exposedPorts = Copies.set(exposedPorts);
      env = Copies.list(env);
      entrypoint = Copies.list(entrypoint);
      cmd = Copies.list(cmd);
      volumes = Copies.set(volumes);
      labels = Copies.map(labels);
      shell = Copies.list(shell);
      onBuild = Copies.list(onBuild);
    }
  }

  /**
   * Docker's health check. Durations are in nanoseconds, 0 meaning Docker's default.
   *
   * @param test {@code ["NONE"]}, {@code ["CMD", args…]} or {@code ["CMD-SHELL", command]}
   * @param interval time between checks
   * @param timeout time one check may take
   * @param startPeriod start-up time during which failures do not count
   * @param startInterval time between checks during the start period
   * @param retries consecutive failures that make the container unhealthy
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  public record HealthCheck(
      @JsonProperty("Test") List<String> test,
      @JsonProperty("Interval") long interval,
      @JsonProperty("Timeout") long timeout,
      @JsonProperty("StartPeriod") long startPeriod,
      @JsonProperty("StartInterval") long startInterval,
      @JsonProperty("Retries") int retries) implements JsonNamed {

    public HealthCheck {
      test = Copies.list(test);
    }
  }

  /**
   * The layers as the image's filesystem sees them.
   *
   * @param type always {@code layers}
   * @param diffIds the digests of the uncompressed layer tars, base layer first (written even
   *     when empty: the spec requires it)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record RootFs(
      String type,
      @JsonProperty("diff_ids") @JsonInclude(JsonInclude.Include.ALWAYS) List<Digest> diffIds) implements JsonNamed {
    public RootFs {
      diffIds = Copies.list(diffIds);
    }
  }

  /**
   * One step of the image's history.
   *
   * @param created when the step ran, RFC 3339, or {@code null}
   * @param createdBy the command of the step
   * @param author who made the step
   * @param comment a comment
   * @param emptyLayer whether the step made no layer (so it has no diffID)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record History(
      String created,
      @JsonProperty("created_by") String createdBy,
      String author,
      String comment,
      @JsonProperty("empty_layer") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
      boolean emptyLayer) implements JsonNamed {}
}
