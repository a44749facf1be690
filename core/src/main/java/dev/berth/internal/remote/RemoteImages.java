package dev.berth.internal.remote;

import static dev.berth.internal.remote.RemoteContainer.q;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.AuthenticationException;
import dev.berth.BerthException;
import dev.berth.ImageInfo;
import dev.berth.ImageNotFoundException;
import dev.berth.ImageRef;
import dev.berth.ImageRemoval;
import dev.berth.NotFoundException;
import dev.berth.PullListener;
import dev.berth.RegistryAuth;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The remote engine's images: pulls (with X-Registry-Auth), lookups, tags, removals. */
final class RemoteImages {
  private final DockerHttp http;
  private final Map<String, List<String>> credentials;

  RemoteImages(DockerHttp http, Map<String, List<String>> credentials) {
    this.http = http;
    this.credentials = Map.copyOf(credentials);
  }

  ImageRecord pull(String reference, RegistryAuth auth, PullListener listener) {
    ImageRef ref = ImageRef.parse(reference);
    Map<String, String> headers = new LinkedHashMap<>();
    registryAuth(ref.registry(), auth).ifPresent(a -> headers.put("X-Registry-Auth", a));
    String path = "/images/create?fromImage=" + q(ref.registry() + "/"
        + ref.repository()) + "&tag=" + q(ref.tagOrDigest());
    try (DockerHttp.Response r = http.send("POST", path, headers, null)) {
      // A stream of JSON progress objects; a failure is one with "error", status 200 or not.
      var parser = Json.MAPPER.getFactory().createParser(r.body());
      var objects = Json.MAPPER.readValues(parser, JsonNode.class);
      while (objects.hasNext()) {
        JsonNode o = objects.next();
        if (o.hasNonNull("error")) {
          throw pullError(reference, o.get("error").asText());
        }
      }
    } catch (NotFoundException e) {
      throw new ImageNotFoundException(reference, "No such image: " + reference + " ("
          + e.getMessage() + ")");
    } catch (IOException e) {
      throw http.unreachable(e);
    } catch (BerthException e) {
      if (e instanceof ImageNotFoundException || e instanceof AuthenticationException) {
        throw e;
      }
      throw pullError(reference, e.getMessage());
    }
    return image(ref.toString());
  }

  private BerthException pullError(String reference, String error) {
    String lower = error.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("not found") || lower.contains("manifest unknown")
        || lower.contains("no such") || lower.contains("name unknown")) {
      return new ImageNotFoundException(reference, "No such image: " + reference + " ("
          + error + ", from the Docker engine at " + http.host().url() + ")");
    }
    if (lower.contains("unauthorized") || lower.contains("authentication required")
        || lower.contains("denied")) {
      return new AuthenticationException("pulling " + reference + " through the Docker engine at "
          + http.host().url() + " was refused: " + error + "; give credentials with"
          + " Berth.builder().credentials(…) or pull(reference, auth, listener)");
    }
    return new BerthException("pulling " + reference + " through the Docker engine at "
        + http.host().url() + " failed: " + error);
  }

  /** Docker's X-Registry-Auth: base64url JSON of the credentials for {@code registry}. */
  private Optional<String> registryAuth(String registry, RegistryAuth auth) {
    Map<String, String> a = new LinkedHashMap<>();
    if (auth != null) {
      if (auth.registryToken() != null) {
        a.put("registrytoken", auth.registryToken());
      } else {
        a.put("username", auth.username());
        a.put("password", auth.password());
      }
    } else if (credentials.containsKey(registry)) {
      a.put("username", credentials.get(registry).get(0));
      a.put("password", credentials.get(registry).get(1));
    } else {
      return Optional.empty();
    }
    a.put("serveraddress", registry);
    try {
      return Optional.of(Base64.getUrlEncoder().encodeToString(
          Json.MAPPER.writeValueAsBytes(a)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ImageRecord image(String query) {
    try {
      return RemoteValues.imageRecord(http.json("GET", "/images/" + query + "/json", null));
    } catch (NotFoundException e) {
      throw new ImageNotFoundException(query, "No such image: " + query + " is not stored by the"
          + " Docker engine at " + http.host().url() + "; pull it first");
    }
  }

  List<ImageRecord> images() {
    List<ImageRecord> out = new ArrayList<>();
    http.json("GET", "/images/json", null).forEach(j -> out.add(RemoteValues.listedImage(j)));
    return out;
  }

  ImageInfo inspect(ImageRecord image) {
    try {
      return RemoteValues.imageInfo(http.json("GET", "/images/" + image.id() + "/json", null));
    } catch (NotFoundException e) {
      throw new ImageNotFoundException(image.id(), "No such image: " + image.id()
          + " was removed from the Docker engine at " + http.host().url());
    }
  }

  ImageRecord tag(ImageRecord image, String reference) {
    ImageRef ref = ImageRef.parse(reference);
    http.json("POST", "/images/" + image.id() + "/tag?repo=" + q(ref.registry()
        + "/" + ref.repository()) + "&tag=" + q(ref.tagOrDigest()), null);
    return image(ref.toString());
  }

  ImageRemoval removeImage(String query, boolean force) {
    try {
      JsonNode j = http.json("DELETE", "/images/" + query + "?force=" + force, null);
      List<String> untagged = new ArrayList<>();
      List<dev.berth.Digest> deleted = new ArrayList<>();
      j.forEach(e -> {
        if (e.hasNonNull("Untagged")) {
          untagged.add(e.get("Untagged").asText());
        }
        if (e.hasNonNull("Deleted")) {
          deleted.add(digest(e.get("Deleted").asText()));
        }
      });
      return new ImageRemoval(untagged, deleted, 0);
    } catch (NotFoundException e) {
      throw new ImageNotFoundException(query, "No such image: " + query + " ("
          + e.getMessage() + ")");
    }
  }

  private static dev.berth.Digest digest(String id) {
    return dev.berth.Digest.parse(id.startsWith("sha256:") ? id : "sha256:" + id);
  }

  ImageRemoval pruneImages() {
    JsonNode j = http.json("POST", "/images/prune", null);
    List<dev.berth.Digest> deleted = new ArrayList<>();
    j.path("ImagesDeleted").forEach(e -> {
      if (e.hasNonNull("Deleted")) {
        deleted.add(digest(e.get("Deleted").asText()));
      }
    });
    return new ImageRemoval(List.of(), deleted, j.path("SpaceReclaimed").asLong());
  }
}
