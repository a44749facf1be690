package dev.berth.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.AuthenticationException;
import dev.berth.RegistryException;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds credentials for a registry as docker and podman do: explicit configuration first, then
 * each auth file in turn ({@code credHelpers} for the host, {@code credsStore}, {@code auths}).
 */
final class CredentialStore {
  /** The key docker login writes for Docker Hub. */
  static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

  private final Map<String, Credentials> explicit;
  private final List<Path> authFiles;
  private final CredentialHelper helpers;

  CredentialStore(RegistryConfig config) {
    this(config.credentials(), config.authFiles(), new CredentialHelper(config.helperDirs()));
  }

  private CredentialStore(Map<String, Credentials> explicit, List<Path> authFiles,
      CredentialHelper helpers) {
    this.explicit = explicit;
    this.authFiles = authFiles;
    this.helpers = helpers;
  }

  /** @return this store with {@code given} as {@code registry}'s explicit credentials */
  CredentialStore with(String registry, Credentials given) {
    Map<String, Credentials> m = new java.util.HashMap<>(explicit);
    m.put(registry, given);
    return new CredentialStore(Map.copyOf(m), authFiles, helpers);
  }

  /** @return the credentials configured or given for {@code registry}, or null; no files read */
  Credentials given(String registry) {
    return explicit.get(registry);
  }

  /**
   * @param registry the registry as the user names it: {@code docker.io}, {@code host:port}
   * @return the credentials to present, or empty for anonymous access
   * @throws RegistryException when an auth file is malformed or a named helper fails
   */
  Optional<Credentials> find(String registry) {
    Credentials given = explicit.get(registry);
    if (given != null) {
      return Optional.of(given);
    }
    for (Path file : authFiles) {
      if (Files.isRegularFile(file)) {
        Optional<Credentials> found = fromFile(file, read(file), registry);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Credentials> fromFile(Path file, JsonNode root, String registry) {
    String helper = root.path("credHelpers").path(registry).asText("");
    if (helper.isEmpty()) {
      helper = root.path("credsStore").asText("");
    }
    if (!helper.isEmpty()) {
      Optional<Credentials> fromHelper = helpers.get(helper, serverUrl(registry), file);
      if (fromHelper.isPresent()) {
        return fromHelper;
      }
    }
    return fromAuths(file, root.path("auths"), registry);
  }

  private static Optional<Credentials> fromAuths(Path file, JsonNode auths, String registry) {
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (registry.equals(normaliseKey(e.getKey()))) {
        return decode(file, e.getKey(), e.getValue());
      }
    }
    return Optional.empty();
  }

  private static Optional<Credentials> decode(Path file, String key, JsonNode entry) {
    String user = entry.path("username").asText("");
    String secret = entry.path("password").asText("");
    String auth = entry.path("auth").asText("");
    if (!auth.isEmpty()) {
      String[] pair = AuthConfigs.userAndPassword(auth);
      if (pair == null) {
        throw new RegistryException("the auths entry '" + key + "' in " + file
            + " has an 'auth' value that is not base64 of user:password; run docker login "
            + key + " again");
      }
      user = pair[0];
      secret = pair[1];
    }
    if (user.isEmpty() || secret.isEmpty()) {
      return Optional.empty(); // e.g. an entry holding only an identitytoken or email
    }
    return Optional.of(new Credentials(user, secret, file.toString()));
  }

  /** {@code https://index.docker.io/v1/} → {@code docker.io}; {@code http://h:5000/x} → h:5000. */
  static String normaliseKey(String key) {
    String k = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    return switch (k) {
      case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
      default -> k;
    };
  }

  /** What docker passes to credential helpers as the server URL. */
  static String serverUrl(String registry) {
    return "docker.io".equals(registry) ? DOCKER_HUB_KEY : registry;
  }

  private static JsonNode read(Path file) {
    try {
      JsonNode root = Json.MAPPER.readTree(file.toFile());
      if (root == null || !root.isObject()) {
        throw new RegistryException("auth file " + file + " is not a JSON object; fix or remove it");
      }
      return root;
    } catch (IOException e) {
      throw new RegistryException("cannot read auth file " + file + ": " + e.getMessage()
          + "; fix its JSON or remove it", e);
    }
  }

  /** Runs {@code docker-credential-<name> get}. */
  static final class CredentialHelper {
    private final List<Path> dirs;

    CredentialHelper(List<Path> dirs) {
      this.dirs = dirs;
    }

    Optional<Credentials> get(String name, String serverUrl, Path configuredIn) {
      String program = "docker-credential-" + name;
      Path exe = dirs.stream().map(d -> d.resolve(program)).filter(Files::isExecutable)
          .findFirst()
          .orElseThrow(() -> new AuthenticationException("credential helper " + program
              + " (named in " + configuredIn + ") is not on the PATH; install it or remove it"
              + " from that file"));
      String out = run(exe, serverUrl);
      if (out.contains("credentials not found")) {
        return Optional.empty();
      }
      return parse(exe, out);
    }

    private static String run(Path exe, String serverUrl) {
      try {
        Process p = new ProcessBuilder(exe.toString(), "get").redirectErrorStream(true).start();
        p.getOutputStream().write(serverUrl.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        if (status != 0 && !out.contains("credentials not found")) {
          throw new AuthenticationException("credential helper " + exe + " failed for "
              + serverUrl + " (exit " + status + "): " + out.strip());
        }
        return out;
      } catch (IOException e) {
        throw new AuthenticationException("cannot run credential helper " + exe + ": "
            + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AuthenticationException("interrupted while running credential helper " + exe);
      }
    }

    private static Optional<Credentials> parse(Path exe, String out) {
      try {
        JsonNode json = Json.MAPPER.readTree(out);
        String user = json.path("Username").asText("");
        String secret = json.path("Secret").asText("");
        if (user.isEmpty() || secret.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new Credentials(user, secret, exe.getFileName().toString()));
      } catch (IOException e) {
        throw new AuthenticationException("credential helper " + exe
            + " printed something that is not {\"Username\":…,\"Secret\":…} JSON");
      }
    }
  }
}
