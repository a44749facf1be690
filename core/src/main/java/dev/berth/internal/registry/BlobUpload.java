package dev.berth.internal.registry;

import dev.berth.Digest;
import dev.berth.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Pushes one blob: nothing when it exists, a cross-repository mount when offered, else
 * POST then one PUT for small blobs, or PATCH chunks then a closing PUT for big ones.
 */
final class BlobUpload {
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");

  private final Transport transport;
  private final int chunkSize;
  private final Repository repo;
  private final Digest digest;
  private final long size;
  private final BlobSource source;
  private final Target target;

  BlobUpload(Transport transport, int chunkSize, Repository repo, Digest digest, long size,
      BlobSource source) {
    this.transport = transport;
    this.chunkSize = chunkSize;
    this.repo = repo;
    this.digest = digest;
    this.size = size;
    this.source = source;
    this.target = new Target(Target.Kind.UPLOAD, "blob " + digest + " of " + repo);
  }

  /** @param mountFrom a repository on the same registry that has the blob, or null */
  PushResult run(Repository mountFrom) {
    HttpUrl location;
    if (mountFrom != null && mountFrom.registry().equals(repo.registry())) {
      try (Response resp = transport.execute(start(mountFrom).expect(201, 202))) {
        if (resp.code() == 201) {
          return PushResult.MOUNTED;
        }
        location = location(resp);
      }
    } else {
      try (Response resp = transport.execute(start(null).expect(202))) {
        location = location(resp);
      }
    }
    if (size <= chunkSize) {
      finish(location, RequestBody.create(readAll(), OCTETS));
    } else {
      finish(patchChunks(location), null);
    }
    return PushResult.UPLOADED;
  }

  private Exchange start(Repository mountFrom) {
    String path = repo.name() + "/blobs/uploads/";
    if (mountFrom == null) {
      return upload(path, List.of(repo.pushScope())).method("POST");
    }
    return upload(path, List.of(repo.pushScope(), mountFrom.pullScope())).method("POST")
        .url(e -> e.api(path).newBuilder().addQueryParameter("mount", digest.toString())
            .addQueryParameter("from", mountFrom.name()).build());
  }

  private HttpUrl patchChunks(HttpUrl location) {
    try (InputStream in = source.open()) {
      long offset = 0;
      while (offset < size) {
        byte[] chunk = in.readNBytes((int) Math.min(chunkSize, size - offset));
        if (chunk.length == 0) {
          throw new RegistryException("the source of " + target.subject() + " ended after "
              + offset + " of " + size + " bytes");
        }
        HttpUrl at = location;
        Exchange patch = upload(null, List.of(repo.pushScope())).url(e -> at).method("PATCH")
            .header("Content-Range", offset + "-" + (offset + chunk.length - 1))
            .body(() -> RequestBody.create(chunk, OCTETS), false).expect(202);
        try (Response resp = transport.execute(patch)) {
          location = location(resp);
        }
        offset += chunk.length;
      }
      return location;
    } catch (IOException e) {
      throw new RegistryException("cannot read " + target.subject() + " to push it: " + e, e);
    }
  }

  private void finish(HttpUrl location, RequestBody body) {
    HttpUrl url = location.newBuilder().addQueryParameter("digest", digest.toString()).build();
    Exchange put = upload(null, List.of(repo.pushScope())).url(e -> url).method("PUT")
        .body(body == null ? null : () -> body, true).expect(201);
    transport.execute(put).close();
  }

  private byte[] readAll() {
    try (InputStream in = source.open()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length != size) {
        throw new RegistryException("the source of " + target.subject() + " has " + bytes.length
            + " bytes, not the " + size + " announced");
      }
      return bytes;
    } catch (IOException e) {
      throw new RegistryException("cannot read " + target.subject() + " to push it: " + e, e);
    }
  }

  private Exchange upload(String apiPath, List<String> scopes) {
    return Exchange.get(repo.registry(), apiPath == null ? "" : apiPath, scopes, target)
        .noMirrors();
  }

  private HttpUrl location(Response resp) {
    String loc = resp.header("Location");
    HttpUrl url = loc == null ? null : resp.request().url().resolve(loc);
    if (url == null) {
      throw new RegistryException("registry " + repo.registry() + " answered "
          + resp.code() + " to " + resp.request().method() + " " + resp.request().url()
          + " without a usable Location header for " + target.subject());
    }
    return url;
  }
}
