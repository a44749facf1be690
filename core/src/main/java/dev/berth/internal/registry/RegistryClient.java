package dev.berth.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.Digest;
import dev.berth.DigestMismatchException;
import dev.berth.ImageRef;
import dev.berth.RegistryException;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.util.Hashes;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Speaks the OCI distribution API to registries: manifests, blobs, pushes, tags. One per engine;
 * thread-safe; all requests share one connection pool.
 *
 * <pre>{@code
 * RegistryClient c = new RegistryClient(RegistryConfig.defaults());
 * ImageRef ref = new ImageRef("docker.io", "library/node", "latest", null);
 * Manifest m = c.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS);
 * c.fetchBlob(Repository.of(ref), layerDigest, layerSize, out);
 * }</pre>
 *
 * <p>Every method throws {@link dev.berth.RegistryUnreachableException} when the registry cannot
 * be reached or trusted, {@link dev.berth.AuthenticationException} when it refuses the
 * credentials, and {@link RegistryException} for other unexpected answers.
 */
public final class RegistryClient {
  /** Manifests larger than this are refused: real ones are a few KiB. */
  static final int MAX_MANIFEST_BYTES = 4 << 20;
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private final RegistryConfig config;
  private final Transport transport;

  /** @param config mirrors, trust, credentials, timeouts, retries and the listener */
  public RegistryClient(RegistryConfig config) {
    this(config, transport(config));
  }

  private RegistryClient(RegistryConfig config, Transport transport) {
    this.config = config;
    this.transport = transport;
  }

  private static Transport transport(RegistryConfig config) {
    OkHttpClient http = new OkHttpClient.Builder()
        .connectTimeout(config.connectTimeout())
        .readTimeout(config.readTimeout())
        .writeTimeout(config.readTimeout())
        // OkHttp itself only re-sends when a pooled connection turned out dead or another route
        // exists; backoff, statuses and everything else are Sender's decision
        .retryOnConnectionFailure(true)
        .build();
    Endpoints endpoints = new Endpoints(config, http);
    Sender sender = new Sender(config.retry(), config.listener());
    Auth auth = new Auth(new CredentialStore(config), endpoints, sender,
        new TokenCache(Clock.systemUTC()));
    return new Transport(endpoints, auth, sender, config.listener());
  }

  /**
   * This client for one call with other credentials: {@code given} replace whatever is
   * configured for {@code registry}. Connections, trust and what each registry speaks are
   * shared; tokens are not, so no call sees another's.
   *
   * @param registry as references name it ({@code docker.io}, {@code host:port})
   */
  public RegistryClient withCredentials(String registry, Credentials given) {
    return new RegistryClient(config, transport.withCredentials(registry, given));
  }

  /**
   * @param serverAddress as {@code docker login} and Docker's auth files name a registry:
   *     {@code host:port}, {@code https://host/v1/}, {@code https://index.docker.io/v1/}
   * @return the registry as references name it ({@code host:port}, {@code docker.io})
   */
  public static String registryName(String serverAddress) {
    String name = CredentialStore.normaliseKey(serverAddress.strip());
    return name.isEmpty() ? Endpoints.DOCKER_HUB : name;
  }

  /**
   * Logs in as {@code docker login} does: asks for the registry's API root with the
   * credentials this client holds for it, answering its Basic or token challenge.
   *
   * @throws dev.berth.AuthenticationException when the registry or its token server refuses
   *     them
   */
  public void login(String registry) {
    Exchange x = Exchange.get(registry, "", List.of(),
        new Target(Target.Kind.LOGIN, "its API root /v2/")).noMirrors().expect(200);
    transport.execute(x).close();
  }

  /** Checks that {@code registry} answers the v2 API (a 401 counts: it is there). */
  public void ping(String registry) {
    Exchange x = Exchange.get(registry, "", List.of(),
        new Target(Target.Kind.PING, "the API of " + registry)).expect(200, 401);
    transport.execute(x).close();
  }

  /**
   * Fetches a manifest and verifies it: the registry's Docker-Content-Digest, and the digest of a
   * by-digest reference, must match the bytes.
   *
   * @param accept the Accept header, e.g. {@link MediaTypes#ACCEPT_MANIFESTS}
   * @throws dev.berth.ImageNotFoundException when the repository or tag does not exist
   * @throws DigestMismatchException when the bytes do not match a digest
   */
  public Manifest fetchManifest(ImageRef ref, String accept) {
    try (Response resp = transport.execute(manifestRequest(ref, accept))) {
      byte[] bytes = readManifest(ref, resp);
      String algorithm = ref.digest() != null ? ref.digest().algorithm() : "sha256";
      Digest actual = Hashes.of(algorithm, bytes);
      checkDigest(ref, ref.digest(), actual);
      String header = resp.header("Docker-Content-Digest");
      if (header != null && header.startsWith(algorithm + ":")) {
        checkDigest(ref, parseDigest(ref, header), actual);
      }
      Digest sha256 = "sha256".equals(algorithm) ? actual : Hashes.sha256(bytes);
      return new Manifest(bytes, mediaType(resp), sha256);
    }
  }

  /**
   * Asks for a manifest's digest, type and size without its content; when the registry's answer
   * leaves out the digest or the length, the manifest is fetched and described instead.
   *
   * @throws dev.berth.ImageNotFoundException when the repository or tag does not exist
   */
  public Descriptor headManifest(ImageRef ref, String accept) {
    try (Response resp = transport.execute(manifestRequest(ref, accept).method("HEAD"))) {
      String header = resp.header("Docker-Content-Digest");
      long length = contentLength(resp);
      if (header == null || length < 0) {
        return describe(fetchManifest(ref, accept));
      }
      return Descriptor.of(mediaType(resp), parseDigest(ref, header), length);
    }
  }

  /**
   * Streams a blob into {@code sink}, following redirects and resuming broken downloads with
   * {@code Range}. The sink sees each byte once; when this throws, the caller must discard what
   * it wrote.
   *
   * @param size the expected size, or -1 when unknown
   * @throws DigestMismatchException when the bytes do not hash to {@code digest} or have another
   *     size
   */
  public void fetchBlob(Repository repo, Digest digest, long size, OutputStream sink) {
    new BlobDownload(transport, config, repo, digest, size, sink).run();
  }

  /** @return true when {@code repo} has the blob (HEAD answered 200) */
  public boolean blobExists(Repository repo, Digest digest) {
    return blobExists(repo, digest, repo.pullScope(), Target.Kind.BLOB);
  }

  private boolean blobExists(Repository repo, Digest digest, String scope, Target.Kind kind) {
    Exchange x = Exchange.get(repo.registry(), repo.name() + "/blobs/" + digest,
        List.of(scope), new Target(kind, "blob " + digest + " of " + repo))
        .method("HEAD").noMirrors().expect(200, 404);
    try (Response resp = transport.execute(x)) {
      return resp.code() == 200;
    }
  }

  /**
   * Makes sure {@code repo} has a blob: nothing when it is there, a cross-repository mount from
   * {@code mountFrom} when that works, else an upload (one PUT up to the chunk size, PATCH chunks
   * above).
   *
   * @param mountFrom a repository on the same registry that has the blob, or null
   * @throws DigestMismatchException when the registry computes another digest
   */
  public PushResult pushBlob(Repository repo, Digest digest, long size, BlobSource source,
      Repository mountFrom) {
    // asks with the push scope, so that one token serves the whole push
    if (blobExists(repo, digest, repo.pushScope(), Target.Kind.UPLOAD)) {
      return PushResult.EXISTED;
    }
    return new BlobUpload(transport, config.uploadChunkSize(), repo, digest, size, source)
        .run(mountFrom);
  }

  /**
   * Uploads a manifest under the reference's tag (or digest).
   *
   * @return the digest of the bytes
   * @throws DigestMismatchException when the registry reports another digest for them
   */
  public Digest putManifest(ImageRef ref, byte[] bytes, String mediaType) {
    Repository repo = Repository.of(ref);
    Target target = new Target(Target.Kind.UPLOAD, "manifest " + ref);
    Exchange x = Exchange.get(ref.registry(), repo.name() + "/manifests/" + ref.tagOrDigest(),
        List.of(repo.pushScope()), target).method("PUT").noMirrors()
        .body(() -> RequestBody.create(bytes, MediaType.get(mediaType)), true).expect(201);
    Digest actual = Hashes.sha256(bytes);
    try (Response resp = transport.execute(x)) {
      String header = resp.header("Docker-Content-Digest");
      if (header != null) {
        checkDigest(ref, parseDigest(ref, header), actual);
      }
    }
    return actual;
  }

  /**
   * Lists a repository's tags, following {@code Link} pagination.
   *
   * @param pageSize tags per request, or 0 to let the registry choose
   * @throws dev.berth.ImageNotFoundException when the repository does not exist
   */
  public List<String> listTags(Repository repo, int pageSize) {
    Target target = new Target(Target.Kind.TAGS, "tags of " + repo);
    List<String> tags = new ArrayList<>();
    String path = repo.name() + "/tags/list" + (pageSize > 0 ? "?n=" + pageSize : "");
    while (path != null) {
      String page = path;
      Exchange x = Exchange.get(repo.registry(), "", List.of(repo.pullScope()), target)
          .url(e -> e.base().resolve(page.startsWith("/") ? page : "/v2/" + page));
      try (Response resp = transport.execute(x)) {
        readTags(resp, target, tags);
        path = nextPage(resp.header("Link"));
      }
    }
    return tags;
  }

  /** Adds the {@code tags} of a tag list page to {@code into}. */
  private static void readTags(Response resp, Target target, List<String> into) {
    try {
      JsonNode tags = Json.MAPPER.readTree(resp.body().byteStream()).path("tags");
      tags.forEach(t -> into.add(t.asText()));
    } catch (IOException e) {
      throw new RegistryException("the " + target.subject() + " from "
          + resp.request().url().host() + " are not valid JSON: " + e.getMessage(), e);
    }
  }

  private static String nextPage(String link) {
    if (link == null) {
      return null;
    }
    Matcher m = NEXT_LINK.matcher(link);
    if (!m.find()) {
      return null;
    }
    HttpUrl absolute = HttpUrl.parse(m.group(1));
    return absolute != null ? absolute.encodedPath() + "?" + absolute.encodedQuery() : m.group(1);
  }

  private static Exchange manifestRequest(ImageRef ref, String accept) {
    Repository repo = Repository.of(ref);
    return Exchange.get(ref.registry(), repo.name() + "/manifests/" + ref.tagOrDigest(),
        List.of(repo.pullScope()), new Target(Target.Kind.MANIFEST, ref.toString()))
        .header("Accept", accept);
  }

  private static byte[] readManifest(ImageRef ref, Response resp) {
    long length = contentLength(resp);
    if (length > MAX_MANIFEST_BYTES) {
      throw tooBig(ref, length + " bytes");
    }
    try (InputStream in = resp.body().byteStream()) {
      byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw tooBig(ref, "more than " + MAX_MANIFEST_BYTES + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new RegistryException("reading the manifest of " + ref + " from " + ref.registry()
          + " broke off: " + e, e);
    }
  }

  private static RegistryException tooBig(ImageRef ref, String size) {
    return new RegistryException("the manifest of " + ref + " is " + size + ", over the "
        + MAX_MANIFEST_BYTES + "-byte limit; this is not an image manifest Berth can use");
  }

  private static void checkDigest(ImageRef ref, Digest expected, Digest actual) {
    if (expected != null && !expected.equals(actual)) {
      throw new DigestMismatchException("manifest " + ref, expected.toString(), actual.toString());
    }
  }

  private static Digest parseDigest(ImageRef ref, String header) {
    try {
      return Digest.parse(header.trim());
    } catch (IllegalArgumentException e) {
      throw new RegistryException("registry " + ref.registry() + " sent a malformed"
          + " Docker-Content-Digest for " + ref + ": " + e.getMessage());
    }
  }

  private static String mediaType(Response resp) {
    String type = resp.header("Content-Type", "");
    int semicolon = type.indexOf(';');
    return (semicolon >= 0 ? type.substring(0, semicolon) : type).trim();
  }

  private static long contentLength(Response resp) {
    String length = resp.header("Content-Length");
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Descriptor describe(Manifest m) {
    return Descriptor.of(m.mediaType(), m.digest(), m.bytes().length);
  }
}
