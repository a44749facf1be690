package dev.berth.internal.engine;

import dev.berth.Platform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything an engine is configured with, whether from the builder or the environment.
 *
 * @param home BERTH_HOME
 * @param mirrors docker.io mirrors, tried in order (host[:port] or URLs)
 * @param insecureRegistries registries allowed over plain HTTP or unverified TLS
 * @param platform the platform to pick from multi-platform images
 * @param dockerConfig a docker config.json to read credentials from, or null for the default
 * @param credentials explicit credentials by registry host: {user, password}
 */
public record EngineSettings(
    Path home,
    List<String> mirrors,
    List<String> insecureRegistries,
    Platform platform,
    Path dockerConfig,
    Map<String, List<String>> credentials) {

  public EngineSettings {
    mirrors = List.copyOf(mirrors);
    insecureRegistries = List.copyOf(insecureRegistries);
    credentials = Map.copyOf(credentials);
  }

  /** Settings from BERTH_HOME, BERTH_REGISTRY_MIRRORS and BERTH_INSECURE_REGISTRIES. */
  public static EngineSettings fromEnvironment(Map<String, String> env, boolean root) {
    return new EngineSettings(
        dev.berth.internal.store.StoreLayout.defaultHome(env, root),
        splitList(env.get("BERTH_REGISTRY_MIRRORS")),
        splitList(env.get("BERTH_INSECURE_REGISTRIES")),
        Platform.current(),
        null,
        Map.of());
  }

  /** Splits a comma- or space-separated list, dropping blanks. */
  public static List<String> splitList(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    // a loop, not a stream's lambda: a cold berth with BERTH_REGISTRY_MIRRORS set reads this,
    // and the class-data archive's training has no such variable to archive the lambda from
    List<String> out = new ArrayList<>();
    for (String s : value.split("[,\\s]+")) {
      if (!s.isBlank()) {
        out.add(s);
      }
    }
    return out;
  }
}
