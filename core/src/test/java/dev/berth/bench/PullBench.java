package dev.berth.bench;

import dev.berth.Berth;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Pull benchmarks against the loopback test registry, each beside its peer in the same run,
 * runs interleaved: (a) fetching every blob of {@code node} with Berth's registry client vs
 * {@code skopeo copy docker://… oci:…}; (b) {@code Berth.pull("node")} into an empty store vs
 * {@code podman pull} into empty podman storage. Prints a table of medians and spreads.
 *
 * <pre>scripts/bench-pull [runs]</pre>
 *
 * <p>Needs root (podman's overlay storage), skopeo and podman; {@code CONTAINERS_CONF} must
 * point at a containers.conf for podman (the script writes one).
 */
public final class PullBench {
  private PullBench() {}

  private interface Run {
    void run(Path dir) throws Exception;
  }

  /** Timings of one contender, in milliseconds. */
  private record Series(String name, List<Double> ms) {
    String cell() {
      double[] s = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return String.format("%8.0f ms  (min %.0f, max %.0f)", s[s.length / 2], s[0], s[s.length - 1]);
    }

    double median() {
      double[] s = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return s[s.length / 2];
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    TestRegistry reg = Registries.plainWith("node");
    String image = reg.host() + "/node:latest";
    // short: podman refuses a runroot path over 50 characters
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bpb");
    try {
      Series fetch = new Series("berth registry client: fetch all blobs", new ArrayList<>());
      Series skopeo = new Series("skopeo copy docker:// oci:", new ArrayList<>());
      Series pull = new Series("Berth.pull into an empty store", new ArrayList<>());
      Series podman = new Series("podman pull into empty storage", new ArrayList<>());
      RegistryClient client = new RegistryClient(RegistryConfig.defaults());
      ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "bench-fetch");
        t.setDaemon(true);
        return t;
      });
      for (int i = -1; i < runs; i++) { // run -1 warms up page cache, JIT and the registry
        time(i, fetch, tmp, d -> fetchAll(client, pool, ImageRef.parse(image), d));
        time(i, skopeo, tmp, d -> exec("skopeo", "copy", "-q", "--src-tls-verify=false",
            "docker://" + image, "oci:" + d + ":t"));
        time(i, pull, tmp, d -> {
          try (Berth berth = Berth.builder().home(d).build()) {
            berth.pull(image);
          }
        });
        time(i, podman, tmp, d -> exec("podman", "--root", d + "/root", "--runroot",
            d + "/run", "pull", "-q", "--tls-verify=false", image));
      }
      pool.shutdown();
      System.out.printf("%nPull benchmarks, image node from %s, median of %d runs (min, max)%n",
          reg.host(), runs);
      System.out.printf("%-42s %s%n", "", "time");
      for (Series s : List.of(fetch, skopeo, pull, podman)) {
        System.out.printf("%-42s %s%n", s.name(), s.cell());
      }
      System.out.printf("(a) skopeo / berth client: %.2fx   (b) podman / Berth.pull: %.2fx%n",
          skopeo.median() / fetch.median(), podman.median() / pull.median());
    } finally {
      exec("rm", "-rf", tmp.toString());
    }
  }

  private static void time(int i, Series s, Path tmp, Run r) throws Exception {
    Path dir = tmp.resolve(s.name().substring(0, 3) + i);
    Files.createDirectories(dir);
    exec("sync");
    long t0 = System.nanoTime();
    r.run(dir);
    double ms = (System.nanoTime() - t0) / 1e6;
    if (i >= 0) {
      s.ms().add(ms);
    }
    if (s.name().startsWith("podman")) {
      exec("podman", "--root", dir + "/root", "--runroot", dir + "/run", "system", "reset", "-f");
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
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue()
          + ":\n" + out);
    }
  }
}
