package dev.berth.bench;

import dev.berth.Berth;
import dev.berth.ImageBuilder;
import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageIndex;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.ManifestDocument;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.registry.Manifest;
import dev.berth.internal.registry.RegistryClient;
import dev.berth.internal.registry.RegistryConfig;
import dev.berth.internal.registry.Repository;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Pull benchmarks against the loopback test registry, each beside its peer in the same run,
 * runs interleaved: (a) fetching every blob of {@code node} with Berth's registry client vs
 * {@code skopeo copy docker://… oci:…}; (b) {@code Berth.pull("node")} into an empty store vs
 * {@code podman pull} into empty podman storage; (c) then, into the same store, node-plus (node
 * with one more layer, pushed at start), so only the new layer moves: Berth.pull vs podman pull
 * vs skopeo copy. Prints medians and spreads (p10–p90).
 *
 * <pre>scripts/bench pull [runs]</pre>
 *
 * <p>Needs root (podman's overlay storage), skopeo and podman (set up by {@link Podman}).
 */
public final class PullBench {
  private PullBench() {}

  private interface Run {
    void run(Path dir) throws Exception;
  }

  /** Timings of one contender, in milliseconds. */
  private record Series(String name, List<Double> ms) {
    double median() {
      double[] s = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return s[s.length / 2];
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    TestRegistry reg = Registries.plainWith("node");
    String image = reg.host() + "/node:latest";
    // short: podman refuses a runroot path over 50 characters
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bpb");
    try {
      String plus = pushNodePlus(reg, tmp.resolve("build"));
      Series fetch = new Series("berth registry client: fetch all blobs", new ArrayList<>());
      Series skopeo = new Series("skopeo copy docker:// oci:", new ArrayList<>());
      Series pull = new Series("Berth.pull into an empty store", new ArrayList<>());
      Series podman = new Series("podman pull into empty storage", new ArrayList<>());
      Series pullPlus = new Series("Berth.pull node-plus after node", new ArrayList<>());
      Series podmanPlus = new Series("podman pull node-plus after node", new ArrayList<>());
      Series skopeoPlus = new Series("skopeo copy node-plus after node", new ArrayList<>());
      Series floor = new Series("floor: GNU tar -xzf of the same blobs, in parallel", new ArrayList<>());
      List<Path> blobs = layerBlobs();
      RegistryClient client = new RegistryClient(RegistryConfig.defaults());
      ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "bench-fetch");
        t.setDaemon(true);
        return t;
      });
      for (int i = -1; i < runs; i++) { // run -1 warms up page cache, JIT and the registry
        time(i, fetch, tmp, d -> fetchAll(client, pool, ImageRef.parse(image), d));
        time(i, floor, tmp, d -> untarAll(blobs, d));
        timeBoth(i, skopeo, skopeoPlus, tmp, (d, ref) -> exec("skopeo", "copy", "-q",
            "--src-tls-verify=false", "docker://" + ref, "oci:" + d + "/oci:t" + Integer.toHexString(ref.hashCode())),
            image, plus);
        timeBoth(i, pull, pullPlus, tmp, (d, ref) -> {
          try (Berth berth = Berth.builder().home(d.resolve("home")).build()) {
            berth.pull(ref);
          }
        }, image, plus);
        timeBoth(i, podman, podmanPlus, tmp, (d, ref) -> {
          new Podman(d.resolve("p")).run("pull", "-q", "--tls-verify=false", ref);
        }, image, plus);
      }
      pool.shutdown();
      System.out.printf("3. pull, image node from %s, then node-plus (node + one 4 MiB layer);"
          + " %d runs, each from empty storage%n", reg.host(), runs);
      for (Series s : List.of(fetch, skopeo, pull, podman, floor, pullPlus, podmanPlus, skopeoPlus)) {
        Timing.row(s.name(), Timing.stats(s.ms(), "ms"));
      }
      System.out.printf("  (a) skopeo / berth client: %.2fx   (b) podman / Berth.pull: %.2fx,"
          + " Berth.pull / floor: %.2fx%n", skopeo.median() / fetch.median(),
          podman.median() / pull.median(), pull.median() / floor.median());
      repull(image, tmp, Math.max(5, runs * 3));
    } finally {
      exec("rm", "-rf", tmp.toString());
    }
  }

  /**
   * (d) Pulling {@code image} again when it is stored and current: Berth in a warm JVM (one
   * engine, after one warm-up re-pull) beside {@code podman pull} of its stored image.
   */
  private static void repull(String image, Path tmp, int runs) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("repull"));
    List<Double> berthMs = new ArrayList<>();
    List<Double> podmanMs = new ArrayList<>();
    Podman podman = new Podman(dir.resolve("p"));
    try (Berth berth = Berth.builder().home(dir.resolve("home")).build()) {
      berth.pull(image);
      podman.run("pull", "-q", "--tls-verify=false", image);
      berth.pull(image);
      for (int i = 0; i < runs; i++) {
        berthMs.add(Timing.millis(() -> berth.pull(image)));
        podmanMs.add(Timing.millis(() -> podman.run("pull", "-q", "--tls-verify=false", image)));
      }
    } finally {
      podman.close();
      exec("rm", "-rf", dir.toString());
    }
    System.out.printf("   pull of the stored, current %s again (%d runs, interleaved)%n", image, runs);
    Timing.row("Berth.pull, warm JVM", Timing.stats(berthMs, "ms"));
    Timing.row("podman pull", Timing.stats(podmanMs, "ms"));
  }

  /** The node test image's layer blobs, as the registry serves them. */
  private static List<Path> layerBlobs() throws Exception {
    Path layout = dev.berth.testimages.TestImages.layout("node");
    var index = new com.fasterxml.jackson.databind.ObjectMapper().readTree(layout.resolve("index.json").toFile());
    String manifest = index.path("manifests").path(0).path("digest").asText().substring(7);
    var layers = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(layout.resolve("blobs/sha256/" + manifest).toFile()).path("layers");
    List<Path> out = new ArrayList<>();
    layers.forEach(l -> out.add(layout.resolve("blobs/sha256/" + l.path("digest").asText().substring(7))));
    return out;
  }

  /** The floor: GNU tar -xzf of each blob into its own empty directory, all at once. */
  private static void untarAll(List<Path> blobs, Path dir) throws Exception {
    List<Process> tars = new ArrayList<>();
    for (int i = 0; i < blobs.size(); i++) {
      Path into = Files.createDirectories(dir.resolve("l" + i));
      tars.add(new ProcessBuilder("tar", "-xzf", blobs.get(i).toString(), "-C", into.toString())
          .inheritIO().start());
    }
    for (Process p : tars) {
      if (p.waitFor() != 0) {
        throw new IllegalStateException("tar -xzf failed with exit " + p.exitValue());
      }
    }
  }

  /** Pushes node plus one layer of 4 MiB of random bytes as node-plus; returns its reference. */
  private static String pushNodePlus(TestRegistry reg, Path dir) throws Exception {
    Files.createDirectories(dir.resolve("extra"));
    byte[] bytes = new byte[4 << 20];
    new java.util.Random(42).nextBytes(bytes);
    Files.write(dir.resolve("extra/blob.bin"), bytes);
    String plus = reg.host() + "/node-plus:latest";
    try (Berth berth = Berth.builder().home(dir.resolve("home")).insecureRegistry(reg.host())
        .build()) {
      ImageBuilder.from(reg.host() + "/node:latest").copy(dir.resolve("extra"), "/extra/")
          .push(berth, plus);
    }
    return plus;
  }

  private interface Pull {
    void pull(Path dir, String ref) throws Exception;
  }

  /** Times pulling {@code first} into a fresh dir, then {@code second} into the same dir. */
  private static void timeBoth(int i, Series s1, Series s2, Path tmp, Pull pull, String first,
      String second) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(s1.name().substring(0, 3) + i));
    try {
      exec("sync");
      double a = Timing.millis(() -> pull.pull(dir, first));
      double b = Timing.millis(() -> pull.pull(dir, second));
      if (i >= 0) {
        s1.ms().add(a);
        s2.ms().add(b);
      }
    } finally {
      if (Files.exists(dir.resolve("p"))) {
        new Podman(dir.resolve("p")).close(); // podman's storage holds mounts: reset, not rm
      }
      exec("rm", "-rf", dir.toString());
    }
  }

  private static void time(int i, Series s, Path tmp, Run r) throws Exception {
    Path dir = tmp.resolve(s.name().substring(0, 3) + i);
    Files.createDirectories(dir);
    exec("sync");
    double ms = Timing.millis(() -> r.run(dir));
    if (i >= 0) {
      s.ms().add(ms);
    }
    exec("rm", "-rf", dir.toString());
  }

  /** Manifest, config and layers, the layers in parallel as a pull fetches them, to files. */
  private static void fetchAll(RegistryClient client, ExecutorService pool, ImageRef ref,
      Path dir) throws Exception {
    Manifest top = client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS);
    ManifestDocument doc = Manifests.parse(top.bytes(), top.mediaType());
    if (doc instanceof ImageIndex index) {
      Descriptor d = index.manifests().get(0);
      top = client.fetchManifest(ref.withDigest(d.digest()), MediaTypes.ACCEPT_MANIFESTS);
      doc = Manifests.parse(top.bytes(), top.mediaType());
    }
    ImageManifest m = (ImageManifest) doc;
    Repository repo = Repository.of(ref);
    List<Descriptor> blobs = new ArrayList<>(m.layers());
    blobs.add(m.config());
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Descriptor d : blobs) {
      all.add(CompletableFuture.runAsync(() -> fetch(client, repo, d, dir), pool));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
  }

  private static void fetch(RegistryClient client, Repository repo, Descriptor d, Path dir) {
    try (OutputStream out = new BufferedOutputStream(
        Files.newOutputStream(dir.resolve(d.digest().hex())), 1 << 16)) {
      client.fetchBlob(repo, d.digest(), d.size(), out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void exec(String... command) throws IOException, InterruptedException {
    Timing.exec(command);
  }
}
