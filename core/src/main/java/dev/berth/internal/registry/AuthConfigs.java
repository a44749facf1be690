package dev.berth.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.RegistryAuth;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Docker's {@code AuthConfig} ({@code username}, {@code password}, {@code auth},
 * {@code identitytoken}, {@code registrytoken}, {@code serveraddress}): what an entry of
 * {@code config.json}'s {@code auths} holds and what clients send in {@code X-Registry-Auth}.
 * The one reader of its {@code auth} value.
 */
public final class AuthConfigs {
  private AuthConfigs() {}

  /**
   * @param json an AuthConfig object; names are matched without regard to case, as Docker's
   *     JSON decoding does
   * @return its credentials, or empty when it carries none (e.g. {@code {}} or only a
   *     {@code serveraddress})
   * @throws IllegalArgumentException when it is not a JSON object, its {@code auth} is not base64
   *     of {@code user:password}, or it holds only an identity token (an OAuth refresh token,
   *     which Berth does not exchange)
   */
  public static Optional<RegistryAuth> parse(String json) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("it is not JSON: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("it is not a JSON object");
    }
    String token = field(root, "registrytoken");
    if (!token.isEmpty()) {
      return Optional.of(RegistryAuth.registryToken(token));
    }
    String user = field(root, "username");
    String password = field(root, "password");
    String auth = field(root, "auth");
    if (user.isEmpty() && !auth.isEmpty()) {
      String[] pair = userAndPassword(auth);
      if (pair == null) {
        throw new IllegalArgumentException("its auth value is not base64 of user:password");
      }
      user = pair[0];
      password = pair[1];
    }
    if (!user.isEmpty() && !password.isEmpty()) {
      return Optional.of(RegistryAuth.password(user, password));
    }
    if (!field(root, "identitytoken").isEmpty()) {
      throw new IllegalArgumentException("it holds an identity token (an OAuth refresh token),"
          + " which Berth does not exchange; give a user name and password instead");
    }
    return Optional.empty();
  }

  /**
   * @param auth the {@code auth} value: base64 of {@code user:password}
   * @return the user name and password, or null when it is not that
   */
  static String[] userAndPassword(String auth) {
    String pair;
    try {
      pair = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = pair.indexOf(':');
    return colon <= 0 ? null : new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
  }

  private static String field(JsonNode object, String name) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().toLowerCase(Locale.ROOT).equals(name) && e.getValue().isTextual()) {
        return e.getValue().asText();
      }
    }
    return "";
  }
}
