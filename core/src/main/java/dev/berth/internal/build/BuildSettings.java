package dev.berth.internal.build;

import dev.berth.BuildListener;
import dev.berth.RegistryAuth;
import java.time.Instant;
import java.util.Map;

/**
 * How a build session behaves.
 *
 * @param created the creation time written into configs and history (fixed by default, so the
 *     same inputs give the same image id)
 * @param fileTime the mtime of copied files
 * @param clamp RUN layers' mtimes later than this are written as it, or null to keep them
 * @param hostNetwork whether RUN shares the host's network
 * @param noCache whether every step runs even when cached
 * @param registryAuths credentials for pulling base images, by registry ({@code host:port},
 *     {@code docker.io}), for this build only
 */
public record BuildSettings(Instant created, Instant fileTime, Instant clamp, boolean hostNetwork,
    boolean noCache, BuildListener listener, Map<String, RegistryAuth> registryAuths) {

  /** Copies the credentials. */
  public BuildSettings {
    registryAuths = Map.copyOf(registryAuths);
  }

  /** Settings that pull with the engine's own credentials. */
  public BuildSettings(Instant created, Instant fileTime, Instant clamp, boolean hostNetwork,
      boolean noCache, BuildListener listener) {
    this(created, fileTime, clamp, hostNetwork, noCache, listener, Map.of());
  }
}
