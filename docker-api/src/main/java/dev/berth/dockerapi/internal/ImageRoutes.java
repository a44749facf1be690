package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.Berth;
import dev.berth.Digest;
import dev.berth.Image;
import dev.berth.ImageInfo;
import dev.berth.ImageRef;
import dev.berth.ImageRemoval;
import dev.berth.PullProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.util.regex.Matcher;

/** Images: list, pull ({@code create}), inspect, tag, remove. */
final class ImageRoutes {
  private final Berth berth;
  private final Events events;

  ImageRoutes(Berth berth, Events events) {
    this.berth = berth;
    this.events = events;
  }

  void register(Router r) {
    r.on("GET", "/images/json", (ex, m) -> list(ex));
    r.on("POST", "/images/create", (ex, m) -> pull(ex));
    r.on("GET", "/images/(.+)/json", this::inspect);
    r.on("POST", "/images/(.+)/tag", this::tag);
    r.on("DELETE", "/images/(.+)", this::remove);
  }

  private void list(Exchange ex) {
    Filters filters = Filters.parse(ex.query("filters"));
    ArrayNode out = Json.array();
    for (Image image : berth.images()) {
      ImageInfo i = image.inspect();
      java.util.List<String> tags = i.repoTags();
      java.util.List<String> digests = i.repoDigests();
      if (filters.has("reference")) {
        // Docker lists the image with only the names that match (docker images NAME); the CLI
        // prints a digest without a tag of its repository as a <none> row.
        tags = tags.stream().filter(t -> filters.get("reference").stream()
            .anyMatch(p -> referenceMatches(p, t))).toList();
        if (tags.isEmpty()) {
          continue;
        }
        digests = digests.stream().filter(d -> filters.get("reference").stream()
            .anyMatch(p -> referenceMatches(p, d))).toList();
      }
      if (filters.has("dangling")
          && filters.get("dangling").contains("true") != i.repoTags().isEmpty()) {
        continue;
      }
      if (!filters.labelsMatch(i.labels())) {
        continue;
      }
      ObjectNode o = Json.object();
      o.put("Id", i.id().toString());
      o.put("ParentId", "");
      o.set("RepoTags", Json.array(tags));
      o.set("RepoDigests", Json.array(digests));
      o.put("Created", i.created() == null ? 0 : i.created().getEpochSecond());
      o.put("Size", i.size());
      o.put("SharedSize", -1);
      o.put("VirtualSize", i.size());
      o.set("Labels", Json.object(i.labels()));
      o.put("Containers", -1);
      out.add(o);
    }
    ex.json(200, out);
  }

  /** {@code POST /images/create?fromImage=busybox&tag=latest}: a pull, streamed as Docker does. */
  private void pull(Exchange ex) throws IOException {
    String from = ex.query("fromImage");
    if (from == null || from.isEmpty()) {
      if (ex.query("fromSrc") != null) {
        throw ApiException.notImplemented("importing a root file system (docker import)");
      }
      throw ApiException.badRequest("fromImage is required");
    }
    String tag = ex.query("tag");
    String reference = from;
    if (tag != null && !tag.isEmpty()) {
      reference = from + (tag.startsWith("sha256:") ? "@" : ":") + tag;
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(reference);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid reference format: " + e.getMessage());
    }
    dev.berth.RegistryAuth auth = RegistryAuths.auth(ex); // a bad header is a 400, before any output
    boolean present = isPresent(reference);
    OutputStream out = ex.stream(200, "application/json");
    try {
      out.write(Json.line(Json.object().put("status", "Pulling from " + ref.repository())
          .put("id", ref.tagOrDigest())));
      Image image = berth.pull(reference, auth, p -> progress(out, p));
      if (image.manifestDigest() != null) {
        out.write(Json.line(Json.object().put("status", "Digest: " + image.manifestDigest())));
      }
      String familiar = ref.familiar();
      out.write(Json.line(Json.object().put("status", present
          ? "Status: Image is up to date for " + familiar
          : "Status: Downloaded newer image for " + familiar)));
      events.image("pull", familiar);
    } catch (Exchange.ClientGoneException gone) {
      throw gone;
    } catch (RuntimeException e) {
      Router.streamError(out, e);
    }
    out.close();
  }

  private boolean isPresent(String reference) {
    try {
      berth.image(reference);
      return true;
    } catch (dev.berth.ImageNotFoundException e) {
      return false;
    }
  }


  private static void progress(OutputStream out, PullProgress p) {
    if (p.layer() == null) {
      return;
    }
    String id = p.layer().shortHex();
    ObjectNode line = Json.object();
    String status = switch (p.status()) {
      case WAITING -> "Waiting";
      case ALREADY_EXISTS -> "Already exists";
      case DOWNLOADING -> "Downloading";
      case RETRYING -> "Retrying";
      case VERIFYING -> "Verifying Checksum";
      case EXTRACTING -> "Extracting";
      case PULL_COMPLETE -> "Pull complete";
      default -> null;
    };
    if (status == null) {
      return;
    }
    line.put("status", status);
    ObjectNode detail = Json.object();
    if (p.status() == PullProgress.Status.DOWNLOADING || p.status() == PullProgress.Status.EXTRACTING) {
      detail.put("current", p.current());
      if (p.total() > 0) {
        detail.put("total", p.total());
      }
      line.put("progress", bar(p.current(), p.total()));
    }
    line.set("progressDetail", detail);
    line.put("id", id);
    try {
      out.write(Json.line(line));
    } catch (IOException e) {
      throw new Exchange.ClientGoneException(e.getMessage());
    }
  }

  /** Docker's progress text: {@code [==>      ]  1.2MB/3.4MB}. */
  private static String bar(long current, long total) {
    String amount = Sizes.human(current)
        + (total > 0 ? "/" + Sizes.human(total) : "");
    if (total <= 0) {
      return amount;
    }
    int width = 50;
    int done = (int) Math.min(width, current * width / total);
    return "[" + "=".repeat(Math.max(0, done - 1)) + (done > 0 ? ">" : "")
        + " ".repeat(width - done) + "] " + amount;
  }

  private Image find(String name) {
    try {
      return berth.image(name);
    } catch (dev.berth.ImageNotFoundException e) {
      throw ApiException.notFound("No such image: " + name);
    }
  }

  private void inspect(Exchange ex, Matcher m) {
    ImageInfo i = find(m.group(1)).inspect();
    ex.json(200, inspectJson(i));
  }

  static ObjectNode inspectJson(ImageInfo i) {
    ObjectNode o = Json.object();
    o.put("Id", i.id().toString());
    o.set("RepoTags", Json.array(i.repoTags()));
    o.set("RepoDigests", Json.array(i.repoDigests()));
    o.put("Parent", "");
    o.put("Comment", "");
    o.put("Created", Json.time(i.created()));
    o.put("DockerVersion", "");
    o.put("Author", "");
    ObjectNode config = Json.object();
    config.put("Hostname", "");
    config.put("User", i.user());
    ObjectNode exposed = Json.object();
    i.exposedPorts().forEach(p -> exposed.set(p.contains("/") ? p : p + "/tcp", Json.object()));
    config.set("ExposedPorts", exposed.isEmpty() ? null : exposed);
    config.set("Env", Json.arrayOrNull(i.env()));
    config.set("Cmd", Json.arrayOrNull(i.cmd()));
    config.set("Entrypoint", Json.arrayOrNull(i.entrypoint()));
    ObjectNode volumes = Json.object();
    i.volumes().forEach(v -> volumes.set(v, Json.object()));
    config.set("Volumes", volumes.isEmpty() ? null : volumes);
    config.put("WorkingDir", i.workingDir());
    config.set("Labels", Json.object(i.labels()));
    if (!i.stopSignal().isEmpty()) {
      config.put("StopSignal", i.stopSignal());
    }
    o.set("Config", config);
    o.put("Architecture", i.platform().architecture());
    if (i.platform().variant() != null) {
      o.put("Variant", i.platform().variant());
    }
    o.put("Os", i.platform().os());
    o.put("Size", i.size());
    o.put("VirtualSize", i.size());
    o.set("GraphDriver", Json.object().put("Name", "overlay").set("Data", Json.object()));
    ArrayNode layers = Json.array();
    i.layers().forEach(l -> layers.add(l.toString()));
    o.set("RootFS", Json.object().put("Type", "layers").set("Layers", layers));
    o.set("Metadata", Json.object().put("LastTagTime", Json.time(null)));
    return o;
  }

  /**
   * Docker's reference filter: a glob ({@code *}) over the familiar name with its tag
   * ({@code busybox:latest}) or, when the pattern has no tag, over the name alone.
   */
  static boolean referenceMatches(String pattern, String repoTag) {
    String familiar = ImageRef.parse(repoTag).familiar();
    int colon = familiar.lastIndexOf(':');
    int at = familiar.indexOf('@');
    String name = at >= 0 ? familiar.substring(0, at)
        : colon > familiar.lastIndexOf('/') ? familiar.substring(0, colon) : familiar;
    java.util.regex.Pattern glob = java.util.regex.Pattern.compile(java.util.Arrays
        .stream(pattern.split("\\*", -1)).map(java.util.regex.Pattern::quote)
        .collect(java.util.stream.Collectors.joining("[^/]*")));
    return glob.matcher(familiar).matches() || glob.matcher(name).matches();
  }

  private void tag(Exchange ex, Matcher m) {
    String repo = ex.query("repo");
    if (repo == null || repo.isEmpty()) {
      throw ApiException.badRequest("repo is required");
    }
    String tag = ex.query("tag");
    String target = tag == null || tag.isEmpty() ? repo : repo + ":" + tag;
    find(m.group(1)).tag(target);
    events.image("tag", target);
    ex.whole(201, null, new byte[0]);
  }

  private void remove(Exchange ex, Matcher m) {
    String name = m.group(1);
    find(name);
    ImageRemoval removal = berth.removeImage(name, ex.flag("force", false));
    ArrayNode out = Json.array();
    removal.untagged().forEach(t -> out.add(Json.object().put("Untagged",
        dev.berth.ImageRef.parse(t).familiar())));
    for (Digest d : removal.deleted()) {
      out.add(Json.object().put("Deleted", d.toString()));
    }
    events.image("delete", name);
    ex.json(200, out);
  }
}
