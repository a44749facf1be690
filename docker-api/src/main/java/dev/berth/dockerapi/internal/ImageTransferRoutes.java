package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.Berth;
import dev.berth.BuildListener;
import dev.berth.BuildOptions;
import dev.berth.Digest;
import dev.berth.Image;
import dev.berth.ImageBuilder;
import dev.berth.ImageRemoval;
import dev.berth.SaveFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Images moving in and out: save ({@code get}), load, push, build (a tar context and a
 * Containerfile, with Docker's streamed {@code {"stream": …}} lines) and prune.
 */
final class ImageTransferRoutes {
  private final Berth berth;
  private final Events events;

  ImageTransferRoutes(Berth berth, Events events) {
    this.berth = berth;
    this.events = events;
  }

  void register(Router r) {
    r.on("GET", "/images/get", (ex, m) -> save(ex, ex.queryAll("names")));
    r.on("GET", "/images/(.+)/get", (ex, m) -> save(ex, List.of(m.group(1))));
    r.on("POST", "/images/load", (ex, m) -> load(ex));
    r.on("POST", "/images/prune", (ex, m) -> prune(ex));
    r.on("POST", "/images/(.+)/push", this::push);
    r.on("POST", "/build", (ex, m) -> build(ex));
    r.on("POST", "/build/prune", (ex, m) -> ex.json(200, Json.object()
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("CachesDeleted", Json.array())
        .put("SpaceReclaimed", 0)));
  }

  private void save(Exchange ex, List<String> names) throws IOException {
    if (names.isEmpty()) {
      throw ApiException.badRequest("names is required");
    }
    if (names.size() > 1) {
      throw ApiException.notImplemented("saving several images into one archive");
    }
    Image image;
    try {
      image = berth.image(names.get(0));
    } catch (dev.berth.ImageNotFoundException e) {
      throw ApiException.notFound("No such image: " + names.get(0));
    }
    Path tmp = Files.createTempDirectory("berth-save-");
    try {
      Path archive = tmp.resolve("image.tar");
      image.save(archive, SaveFormat.DOCKER_ARCHIVE);
      OutputStream out = ex.stream(200, "application/x-tar");
      Files.copy(archive, out);
      out.close();
    } finally {
      Temp.delete(tmp);
    }
  }

  private void load(Exchange ex) throws IOException {
    ex.limitBody(ArchiveRoutes.MAX_TAR, "the image archive");
    Path tmp = Files.createTempDirectory("berth-load-");
    try {
      Path archive = tmp.resolve("image.tar");
      try {
        Files.copy(ex.body(), archive);
      } catch (BodyStream.BodyTooLargeException e) {
        throw new ApiException(413, e.getMessage());
      }
      List<Image> loaded;
      try {
        loaded = berth.load(archive);
      } catch (dev.berth.BerthException e) {
        throw ApiException.badRequest("cannot load the archive: " + e.getMessage());
      }
      OutputStream out = ex.stream(200, "application/json");
      for (Image i : loaded) {
        // One line a name, as Docker prints them: the archive names the image by each tag.
        List<String> names = i.name().startsWith("sha256:") ? List.of(i.name())
            : i.inspect().repoTags();
        for (String name : names) {
          String text = name.startsWith("sha256:") ? "Loaded image ID: " + name
              : "Loaded image: " + dev.berth.ImageRef.parse(name).familiar();
          out.write(Json.line(Json.object().put("stream", text + "\n")));
          events.image("load", name);
        }
      }
      out.close();
    } finally {
      Temp.delete(tmp);
    }
  }

  private void prune(Exchange ex) {
    ImageRemoval removal = berth.pruneImages();
    ArrayNode deleted = Json.array();
    removal.untagged().forEach(t -> deleted.add(Json.object().put("Untagged", t)));
    for (Digest d : removal.deleted()) {
      deleted.add(Json.object().put("Deleted", d.toString()));
    }
    ex.json(200, Json.object().<com.fasterxml.jackson.databind.node.ObjectNode>set(
        "ImagesDeleted", deleted).put("SpaceReclaimed", removal.reclaimedBytes()));
  }

  private void push(Exchange ex, Matcher m) throws IOException {
    String name = m.group(1);
    String tag = ex.query("tag");
    String reference = tag == null || tag.isEmpty() ? name : name + ":" + tag;
    Image image;
    try {
      image = berth.image(reference);
    } catch (dev.berth.ImageNotFoundException e) {
      throw ApiException.notFound("No such image: " + reference);
    }
    dev.berth.RegistryAuth auth = RegistryAuths.auth(ex);
    OutputStream out = ex.stream(200, "application/json");
    try {
      out.write(Json.line(Json.object().put("status", "The push refers to repository ["
          + dev.berth.ImageRef.parse(reference).registry() + "/"
          + dev.berth.ImageRef.parse(reference).repository() + "]")));
      Digest digest = image.push(reference, auth);
      String t = dev.berth.ImageRef.parse(reference).tagOrDigest();
      out.write(Json.line(Json.object().put("status", t + ": digest: " + digest + " size: 0")));
      com.fasterxml.jackson.databind.node.ObjectNode aux = Json.object();
      aux.set("aux", Json.object().put("Tag", t).put("Digest", digest.toString()).put("Size", 0));
      out.write(Json.line(aux));
      events.image("push", reference);
    } catch (Exchange.ClientGoneException gone) {
      throw gone;
    } catch (RuntimeException e) {
      Router.streamError(out, e);
    }
    out.close();
  }

  /** {@code POST /build}: the body is the context as a tar (gzip allowed); steps are streamed. */
  private void build(Exchange ex) throws IOException {
    String remote = ex.query("remote");
    if (remote != null && !remote.isEmpty()) {
      throw ApiException.notImplemented("building from a remote context (" + remote + ")");
    }
    if ("2".equals(ex.query("version"))) {
      throw ApiException.notImplemented("BuildKit (version=2)");
    }
    // FROM images are pulled with the client's logins: a bad header is a 400 before the upload
    java.util.Map<String, dev.berth.RegistryAuth> logins = RegistryAuths.config(ex);
    ex.limitBody(ArchiveRoutes.MAX_TAR, "the build context");
    Path tmp = Files.createTempDirectory("berth-build-");
    try {
      Path context = tmp.resolve("context");
      Files.createDirectory(context);
      InputStream body = new java.io.BufferedInputStream(ex.body());
      body.mark(2);
      int b0 = body.read();
      int b1 = body.read();
      body.reset();
      InputStream tar = b0 == 0x1f && b1 == 0x8b ? new java.util.zip.GZIPInputStream(body) : body;
      ArchiveRoutes.unpack(tar, context);
      String dockerfile = ex.query("dockerfile");
      BuildOptions.Builder o = BuildOptions.builder(context);
      logins.forEach(o::registryAuth);
      if (dockerfile != null && !dockerfile.isEmpty()) {
        Path file = context.resolve(dockerfile).normalize();
        if (!file.startsWith(context)) {
          throw ApiException.badRequest("the Dockerfile " + dockerfile + " is outside the context");
        }
        o.file(file);
      }
      for (String t : ex.queryAll("t")) {
        o.tag(t);
      }
      String args = ex.query("buildargs");
      if (args != null && !args.isEmpty()) {
        Json.MAPPER.readTree(args).fields().forEachRemaining(e -> o.buildArg(e.getKey(),
            e.getValue().asText()));
      }
      String target = ex.query("target");
      if (target != null && !target.isEmpty()) {
        o.target(target);
      }
      o.noCache(ex.flag("nocache", false));
      o.hostNetwork("host".equals(ex.query("networkmode")));
      OutputStream out = ex.stream(200, "application/json");
      OutputStream stepOutput = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(Json.line(Json.object().put("stream",
              new String(b, off, len, StandardCharsets.UTF_8))));
        }
      };
      o.listener(new BuildListener() {
        @Override
        public void onStep(dev.berth.BuildStep step) {
          try {
            out.write(Json.line(Json.object().put("stream", "Step " + step.number() + " : "
                + step.instruction() + (step.cached() ? "\n ---> Using cache" : "") + "\n")));
          } catch (IOException e) {
            throw new Exchange.ClientGoneException(e.getMessage());
          }
        }

        @Override
        public OutputStream output() {
          return stepOutput;
        }
      });
      try {
        Image built = ImageBuilder.build(berth, o.build());
        Digest id = built.id();
        com.fasterxml.jackson.databind.node.ObjectNode aux = Json.object();
        aux.set("aux", Json.object().put("ID", id.toString()));
        out.write(Json.line(aux));
        out.write(Json.line(Json.object().put("stream", "Successfully built "
            + id.shortHex() + "\n")));
        for (String t : ex.queryAll("t")) {
          out.write(Json.line(Json.object().put("stream", "Successfully tagged "
              + dev.berth.ImageRef.parse(t).familiar() + "\n")));
        }
        events.image("build", id.toString());
      } catch (Exchange.ClientGoneException gone) {
        throw gone;
      } catch (RuntimeException e) {
        Router.streamError(out, e);
      }
      out.close();
    } finally {
      Temp.delete(tmp);
    }
  }
}
