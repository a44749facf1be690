package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.RegistryAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials as Docker's clients send them: {@code X-Registry-Auth} (one
 * {@code AuthConfig}, base64url JSON) on pull and push, {@code X-Registry-Config} (a map of
 * registry → {@code AuthConfig}) on build, and the JSON body of {@code POST /auth}. What an
 * {@code AuthConfig} means is core's to read ({@link RegistryAuth#fromDockerAuthConfig}).
 */
final class RegistryAuths {
  static final String AUTH_HEADER = "X-Registry-Auth";
  static final String CONFIG_HEADER = "X-Registry-Config";

  private RegistryAuths() {}

  /**
   * @return the credentials of {@code X-Registry-Auth}, or null when it is absent or carries
   *     none (the docker CLI sends {@code {}} when it has no login for the registry)
   * @throws ApiException 400 naming the header when it is not base64url JSON of an AuthConfig
   */
  static RegistryAuth auth(Exchange ex) {
    String value = ex.headers().get(AUTH_HEADER);
    if (value == null || value.isBlank()) {
      return null;
    }
    return parse(AUTH_HEADER, decode(AUTH_HEADER, value)).orElse(null);
  }

  /**
   * @return the credentials of {@code X-Registry-Config} by registry as {@code docker login}
   *     names it ({@code host:port}, {@code https://index.docker.io/v1/}); empty when absent
   * @throws ApiException 400 naming the header when it is not base64url JSON of such a map
   */
  static Map<String, RegistryAuth> config(Exchange ex) {
    String value = ex.headers().get(CONFIG_HEADER);
    Map<String, RegistryAuth> out = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return out;
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(decode(CONFIG_HEADER, value));
    } catch (IOException e) {
      throw malformed(CONFIG_HEADER, "it is not JSON: " + e.getMessage().lines().findFirst()
          .orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw malformed(CONFIG_HEADER, "it is not a JSON object of registry → AuthConfig");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      try {
        parse(CONFIG_HEADER + " (entry " + e.getKey() + ")", e.getValue().toString())
            .ifPresent(a -> out.put(e.getKey(), a));
      } catch (ApiException unusable) {
        // The CLI sends every login it has: one Berth cannot use (an identity token) must not
        // fail a build that may not need it; that registry gets the engine's credentials.
        if (!hasIdentityToken(e.getValue())) {
          throw unusable;
        }
      }
    }
    return out;
  }

  private static boolean hasIdentityToken(JsonNode authConfig) {
    for (Iterator<String> names = authConfig.fieldNames(); names.hasNext(); ) {
      if (names.next().equalsIgnoreCase("identitytoken")) {
        return true;
      }
    }
    return false;
  }

  /** @return the credentials of an AuthConfig in a request body ({@code POST /auth}) */
  static Optional<RegistryAuth> body(JsonNode authConfig) {
    return parse("AuthConfig in the request body", authConfig.toString());
  }

  private static Optional<RegistryAuth> parse(String where, String json) {
    try {
      return RegistryAuth.fromDockerAuthConfig(json);
    } catch (IllegalArgumentException e) {
      throw malformed(where, e.getMessage());
    }
  }

  /** Base64url, padded or not; the standard alphabet too, which some clients send. */
  private static String decode(String header, String value) {
    String urlSafe = value.strip().replace('+', '-').replace('/', '_');
    try {
      return new String(Base64.getUrlDecoder().decode(urlSafe), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed(header, "it is not base64url: " + e.getMessage());
    }
  }

  private static ApiException malformed(String where, String why) {
    return ApiException.badRequest("invalid " + where + ": " + why + "; send Docker's AuthConfig"
        + " JSON (username and password, or registrytoken)"
        + (where.startsWith("X-Registry-") ? ", base64url-encoded" : ""));
  }
}
