package dev.berth.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.AuthenticationException;
import dev.berth.BerthException;
import dev.berth.ContainerInfo;
import dev.berth.HostInfo;
import dev.berth.ImageInfo;
import dev.berth.ImageNotFoundException;
import dev.berth.ImageRef;
import dev.berth.ImageRemoval;
import dev.berth.NetworkInfo;
import dev.berth.NetworkMode;
import dev.berth.NotFoundException;
import dev.berth.PullListener;
import dev.berth.RegistryAuth;
import dev.berth.RunOptions;
import dev.berth.SaveFormat;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.VolumeInfo;
import dev.berth.internal.engine.Backend;
import dev.berth.internal.engine.ContainerBackend;
import dev.berth.internal.engine.Engine;
import dev.berth.internal.engine.PublicValues;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine the user already runs, driven over the Docker Engine API: the public API's images
 * and containers are that engine's. Containers it makes carry the label {@value #SESSION} with
 * this JVM's session id; those made with {@code removeWithJvm} are removed by a shutdown hook
 * and, when the JVM is killed, by {@link RemoteReaper}.
 */
public final class RemoteEngine implements Backend {
  /** The label naming the JVM session that made a container. */
  public static final String SESSION = "dev.berth.session";
  private static final String SESSION_ID = UUID.randomUUID().toString();

  /** What no Docker Engine API offers the way the local engine does it, and why. */
  private static final Map<String, String> UNSUPPORTED = unsupported();

  private final DockerHttp http;
  private final Map<String, List<String>> credentials;
  private final ExecutorService threads;
  private final Set<String> removeWithJvm = ConcurrentHashMap.newKeySet();
  private final Thread hook;
  private final JsonNode version;
  private boolean reaperTried;

  private RemoteEngine(DockerHost host, Map<String, List<String>> credentials) {
    this.http = new DockerHttp(host);
    this.credentials = Map.copyOf(credentials);
    this.version = http.json("GET", "/version", null); // fails now, naming the host, if down
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "berth-remote-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.hook = new Thread(this::removeOwned, "berth-remote-remove-with-jvm");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * @param dockerHost {@code unix://…} or {@code tcp://…}
   * @param credentials registry host to user and password, sent with pulls (for others the
   *     engine's own credentials apply)
   * @throws IllegalArgumentException when {@code dockerHost} is neither form
   * @throws BerthException when the engine does not answer, naming it and what to do
   */
  public static RemoteEngine open(String dockerHost, Map<String, List<String>> credentials) {
    return new RemoteEngine(DockerHost.parse(dockerHost), credentials);
  }

  /** @throws IllegalArgumentException when {@code dockerHost} is neither form */
  public static void checkHost(String dockerHost) {
    DockerHost.parse(dockerHost);
  }

  DockerHttp http() {
    return http;
  }

  ExecutorService threads() {
    return threads;
  }

  void forget(String id) {
    removeWithJvm.remove(id);
  }

  UnsupportedEnvironmentException unsupported(String what, String why) {
    return new UnsupportedEnvironmentException(what + " is not possible through the remote engine "
        + http.host().url() + ": " + why);
  }

  private static Map<String, String> unsupported() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("unpackTo", "the image's layers are on the engine's host; run a container and"
        + " copyFrom it instead");
    m.put("save", "not implemented for remote engines yet (docker save against the engine)");
    m.put("load", "not implemented for remote engines yet (docker load against the engine)");
    m.put("push", "not implemented for remote engines yet (docker push against the engine)");
    m.put("build", "images are built by the local engine only (docker build against the engine)");
    m.put("login", "the engine checks credentials when it pulls; give them with"
        + " Berth.builder().credentials(…) or pull(reference, auth, listener)");
    m.put("stats", "not read from remote engines yet");
    m.put("home", "a remote engine has no BERTH_HOME");
    // removeWithJvm after SIGKILL is no longer here: RemoteReaper removes them
    return m;
  }

  // ---- images -----------------------------------------------------------------------------

  @Override
  public ImageRecord pull(String reference, RegistryAuth auth, PullListener listener) {
    ImageRef ref = ImageRef.parse(reference);
    Map<String, String> headers = new LinkedHashMap<>();
    registryAuth(ref.registry(), auth).ifPresent(a -> headers.put("X-Registry-Auth", a));
    String path = "/images/create?fromImage=" + RemoteContainer.q(ref.registry() + "/"
        + ref.repository()) + "&tag=" + RemoteContainer.q(ref.tagOrDigest());
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

  @Override
  public void login(String registry, RegistryAuth auth) {
    throw unsupported("login", UNSUPPORTED.get("login"));
  }

  @Override
  public ImageRecord image(String query) {
    try {
      return RemoteValues.imageRecord(http.json("GET", "/images/" + query + "/json", null));
    } catch (NotFoundException e) {
      throw new ImageNotFoundException(query, "No such image: " + query + " is not stored by the"
          + " Docker engine at " + http.host().url() + "; pull it first");
    }
  }

  @Override
  public List<ImageRecord> images() {
    List<ImageRecord> out = new ArrayList<>();
    http.json("GET", "/images/json", null).forEach(j -> out.add(RemoteValues.listedImage(j)));
    return out;
  }

  @Override
  public ImageInfo inspect(ImageRecord image) {
    try {
      return RemoteValues.imageInfo(http.json("GET", "/images/" + image.id() + "/json", null));
    } catch (NotFoundException e) {
      throw new ImageNotFoundException(image.id(), "No such image: " + image.id()
          + " was removed from the Docker engine at " + http.host().url());
    }
  }

  @Override
  public ImageRecord tag(ImageRecord image, String reference) {
    ImageRef ref = ImageRef.parse(reference);
    http.json("POST", "/images/" + image.id() + "/tag?repo=" + RemoteContainer.q(ref.registry()
        + "/" + ref.repository()) + "&tag=" + RemoteContainer.q(ref.tagOrDigest()), null);
    return image(ref.toString());
  }

  @Override
  public ImageRemoval removeImage(String query, boolean force) {
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

  @Override
  public ImageRemoval pruneImages() {
    JsonNode j = http.json("POST", "/images/prune", null);
    List<dev.berth.Digest> deleted = new ArrayList<>();
    j.path("ImagesDeleted").forEach(e -> {
      if (e.hasNonNull("Deleted")) {
        deleted.add(digest(e.get("Deleted").asText()));
      }
    });
    return new ImageRemoval(List.of(), deleted, j.path("SpaceReclaimed").asLong());
  }

  @Override
  public void unpack(ImageRecord image, Path dir) {
    throw unsupported("unpackTo", UNSUPPORTED.get("unpackTo"));
  }

  @Override
  public void save(ImageRecord image, Path target, SaveFormat format) {
    throw unsupported("save", UNSUPPORTED.get("save"));
  }

  @Override
  public ImageRecord push(ImageRecord image, String reference, RegistryAuth auth) {
    throw unsupported("push", UNSUPPORTED.get("push"));
  }

  @Override
  public List<ImageRecord> load(Path archive) {
    throw unsupported("load", UNSUPPORTED.get("load"));
  }

  // ---- containers -------------------------------------------------------------------------

  @Override
  public ContainerBackend run(String image, RunOptions options) {
    return start(createPulling(image, options), options);
  }

  @Override
  public ContainerBackend create(String image, RunOptions options) {
    return createPulling(image, options);
  }

  @Override
  public ContainerBackend start(ImageRecord image, String imageName, RunOptions options) {
    return start(createContainer(imageName, options), options);
  }

  @Override
  public ContainerBackend create(ImageRecord image, String imageName, RunOptions options) {
    return createContainer(imageName, options);
  }

  private RemoteContainer createPulling(String image, RunOptions options) {
    try {
      return createContainer(image, options);
    } catch (NotFoundException e) {
      pull(image, null, PullListener.NONE);
      return createContainer(image, options);
    }
  }

  private RemoteContainer createContainer(String image, RunOptions options) {
    synchronized (removeWithJvm) { // the reaper starts with the first removeWithJvm container
      if (options.removeWithJvm() && !reaperTried && RemoteReaper.enabled()) {
        RemoteReaper.startOrWarn(http, version, SESSION, SESSION_ID);
        reaperTried = true;
      }
    }
    String path = "/containers/create" + (options.name() == null ? ""
        : "?name=" + RemoteContainer.q(options.name()));
    String id = http.json("POST", path, RemoteCreate.body(normalize(image), options, SESSION,
        SESSION_ID)).path("Id").asText();
    if (options.removeWithJvm()) {
      removeWithJvm.add(id);
    }
    return new RemoteContainer(this, http.json("GET", "/containers/" + id + "/json", null));
  }

  /** A reference as the engine names it: docker.io/library/busybox:latest for busybox. */
  private static String normalize(String image) {
    try {
      return ImageRef.parse(image).toString();
    } catch (IllegalArgumentException e) {
      return image; // an id
    }
  }

  /** Attaches first when not detached, so no output is lost, then starts. */
  private RemoteContainer start(RemoteContainer c, RunOptions options) {
    if (!options.detach()) {
      boolean stdin = options.process().stdinOpen();
      DockerHttp.Response r = http.send("POST", "/containers/" + c.id() + "/attach?stream=1"
          + "&stdout=1&stderr=1" + (stdin ? "&stdin=1" : ""),
          Map.of("Connection", "Upgrade", "Upgrade", "tcp"), null);
      Frames.Split split = new Frames(r.body(), options.process().tty())
          .split(threads, () -> { });
      c.attached(new RemoteContainer.Attached(split.stdout(), split.stderr(),
          stdin ? new RemoteContainer.HalfClosingStream(r.connection()) : null));
    }
    try {
      c.start();
    } catch (BerthException e) {
      throw new BerthException("container " + c.name() + " (" + c.id().substring(0, 12)
          + ") could not start on the Docker engine at " + http.host().url() + ": "
          + e.getMessage(), e);
    }
    if (!options.detach()) {
      c.exit(); // waiting from now on: an auto-removed container is gone once it exits
    }
    return c;
  }

  @Override
  public List<ContainerInfo> containers(boolean all) {
    List<ContainerInfo> out = new ArrayList<>();
    for (JsonNode j : http.json("GET", "/containers/json?all=" + all, null)) {
      try {
        out.add(RemoteValues.container(http.json("GET", "/containers/" + j.path("Id").asText()
            + "/json", null)));
      } catch (NotFoundException e) {
        // removed between the list and its inspect
      }
    }
    return out;
  }

  @Override
  public ContainerBackend container(String idOrName) {
    try {
      return new RemoteContainer(this, http.json("GET", "/containers/"
          + RemoteContainer.q(idOrName) + "/json", null));
    } catch (NotFoundException e) {
      throw new NotFoundException("No such container: " + idOrName + " (on the Docker engine at "
          + http.host().url() + ")");
    }
  }

  @Override
  public List<String> pruneContainers() {
    return RemoteValues.strings(http.json("POST", "/containers/prune", null)
        .path("ContainersDeleted"));
  }

  // ---- networks and volumes ---------------------------------------------------------------

  @Override
  public NetworkInfo createNetwork(String name, Map<String, String> labels) {
    String id = http.json("POST", "/networks/create", Map.of("Name", name, "Labels", labels,
        "CheckDuplicate", true)).path("Id").asText();
    return RemoteValues.network(http.json("GET", "/networks/" + id, null));
  }

  @Override
  public List<NetworkInfo> networks() {
    List<NetworkInfo> out = new ArrayList<>();
    for (JsonNode j : http.json("GET", "/networks", null)) {
      String name = j.path("Name").asText();
      if (!Set.of("bridge", "host", "none", "podman").contains(name)) { // as the local list
        out.add(RemoteValues.network(http.json("GET", "/networks/" + j.path("Id").asText(),
            null)));
      }
    }
    return out;
  }

  @Override
  public void removeNetwork(String name, boolean force) {
    if (force) {
      JsonNode n = http.json("GET", "/networks/" + RemoteContainer.q(name), null);
      n.path("Containers").fieldNames().forEachRemaining(c -> http.json("POST", "/networks/"
          + RemoteContainer.q(name) + "/disconnect", Map.of("Container", c, "Force", true)));
    }
    http.json("DELETE", "/networks/" + RemoteContainer.q(name), null);
  }

  @Override
  public VolumeInfo createVolume(String name) {
    return RemoteValues.volume(http.json("POST", "/volumes/create", Map.of("Name", name)));
  }

  @Override
  public List<VolumeInfo> volumes() {
    List<VolumeInfo> out = new ArrayList<>();
    http.json("GET", "/volumes", null).path("Volumes").forEach(v -> out.add(
        RemoteValues.volume(v)));
    return out;
  }

  @Override
  public void removeVolume(String name, boolean force) {
    http.json("DELETE", "/volumes/" + RemoteContainer.q(name) + "?force=" + force, null);
  }

  @Override
  public List<String> pruneVolumes() {
    return RemoteValues.strings(http.json("POST", "/volumes/prune", null)
        .path("VolumesDeleted"));
  }

  // ---- the engine ---------------------------------------------------------------------------

  @Override
  public HostInfo info() {
    JsonNode i = http.json("GET", "/info", null);
    String product = version.path("Components").path(0).path("Name").asText("Docker Engine");
    String engine = "remote " + http.host().url() + " (" + product + " "
        + version.path("Version").asText("?") + ", API " + version.path("ApiVersion").asText("?")
        + ")";
    boolean rootless = i.path("SecurityOptions").toString().contains("rootless");
    Map<String, String> modes = new LinkedHashMap<>();
    modes.put("bridge", "the engine's default network");
    modes.put("user-defined", "");
    modes.put("host", "the engine's host network (a VM's on a Mac or Windows)");
    modes.put("none", "");
    modes.put("container", "");
    return PublicValues.get().hostInfo(rootless, HostInfo.UserNamespace.NONE, List.of(),
        List.of(), HostInfo.RootfsMode.OVERLAY,
        "v" + i.path("CgroupVersion").asText("?"), true, "", modes, Map.of(),
        Path.of(i.path("DockerRootDir").asText("/")), null,
        i.path("KernelVersion").asText(""), engine, UNSUPPORTED, http.host().publishedHost());
  }

  @Override
  public Optional<Path> home() {
    return Optional.empty();
  }

  @Override
  public Optional<Engine> local() {
    return Optional.empty();
  }

  /** Removes what this session made with {@code removeWithJvm}; running ones are killed first. */
  private void removeOwned() {
    for (String id : List.copyOf(removeWithJvm)) {
      try {
        http.json("DELETE", "/containers/" + id + "?force=true&v=true", null);
      } catch (RuntimeException e) {
        // gone already, or the engine is: nothing more to do at exit
      }
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs
    }
    removeOwned();
    threads.shutdownNow();
  }

  static String mode(NetworkMode mode) {
    if (mode instanceof NetworkMode.None) {
      return "none";
    }
    if (mode instanceof NetworkMode.Host) {
      return "host";
    }
    if (mode instanceof NetworkMode.JoinContainer j) {
      return "container:" + j.container();
    }
    if (mode instanceof NetworkMode.UserDefined u) {
      return u.name();
    }
    return "bridge";
  }

}
