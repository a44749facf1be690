package dev.berth.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.RegistryException;
import java.io.IOException;
import java.util.List;
import okhttp3.Response;

/** The few JSON bodies the registry API itself returns (manifests are the manifest module's). */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Adds the {@code tags} of a tag list page to {@code into}. */
  static void tags(Response resp, Target target, List<String> into) {
    try {
      JsonNode tags = MAPPER.readTree(resp.body().byteStream()).path("tags");
      tags.forEach(t -> into.add(t.asText()));
    } catch (IOException e) {
      throw new RegistryException("the " + target.subject() + " from "
          + resp.request().url().host() + " are not valid JSON: " + e.getMessage(), e);
    }
  }
}
