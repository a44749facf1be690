package dev.berth.bench;

import static dev.berth.bench.Timing.exec;
import static dev.berth.bench.Timing.row;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.unpack.LayerUnpacker;
import dev.berth.internal.unpack.UnpackOptions;
import dev.berth.testimages.TestImages;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Row 4: unpacking alone, from the node test image's OCI layout into a plain directory: Berth's
 * {@link LayerUnpacker} in FLATTEN mode, layer after layer, beside {@code umoci unpack} of the
 * same layout (which also writes a runtime config, a few KB). Berth runs twice per round: files
 * created by the reading thread alone, and with the writer threads ({@code
 * UnpackOptions.parallelFiles}, {@code -Dberth.unpack.writers} threads), whichever is the default
 * on this machine. Runs interleaved, each into a new directory after a {@code sync}; removal is
 * not timed.
 */
public final class UnpackBench {
  private UnpackBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path layout = TestImages.layout("node");
    List<Descriptor> layers = layers(layout);
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bub");
    List<Double> berth = new ArrayList<>();
    List<Double> writers = new ArrayList<>();
    List<Double> umoci = new ArrayList<>();
    try {
      for (int i = -1; i < runs; i++) { // run -1 warms up page cache and JIT
        Path dir = Files.createDirectories(tmp.resolve("berth" + i));
        Path parallel = Files.createDirectories(tmp.resolve("writers" + i));
        Path bundle = tmp.resolve("umoci" + i);
        double b = timed(() -> flatten(layout, layers, dir, false));
        double w = timed(() -> flatten(layout, layers, parallel, true));
        double u = timed(() -> exec("umoci", "unpack", "--image", layout + ":latest",
            bundle.toString()));
        if (i >= 0) {
          berth.add(b);
          writers.add(w);
          umoci.add(u);
        }
        exec("rm", "-rf", dir.toString(), parallel.toString(), bundle.toString());
      }
      System.out.println("4. unpack alone: node's " + layers.size() + " layers from its OCI layout"
          + " into a directory, " + runs + " runs");
      row("Berth LayerUnpacker (FLATTEN, all layers), one thread", Timing.stats(berth, "ms"));
      row("Berth LayerUnpacker, with the writer threads", Timing.stats(writers, "ms"));
      row("umoci unpack", Timing.stats(umoci, "ms"));
    } finally {
      exec("rm", "-rf", tmp.toString());
    }
  }

  private static double timed(Timing.Body body) throws Exception {
    exec("sync"); // earlier runs' dirty pages are not this run's cost
    return Timing.millis(body);
  }

  private static void flatten(Path layout, List<Descriptor> layers, Path dir, boolean writers)
      throws Exception {
    LayerUnpacker unpacker = new LayerUnpacker(UnpackOptions.flatten().withParallelFiles(writers));
    for (Descriptor d : layers) {
      try (InputStream in = Files.newInputStream(blob(layout, d))) {
        unpacker.unpack(in, MediaTypes.layerCompression(d.mediaType()), dir, d.digest().toString());
      }
    }
  }

  private static List<Descriptor> layers(Path layout) throws Exception {
    var index = new ObjectMapper().readTree(layout.resolve("index.json").toFile());
    var top = index.path("manifests").path(0);
    Descriptor manifest = Descriptor.of(top.path("mediaType").asText(),
        dev.berth.Digest.parse(top.path("digest").asText()), top.path("size").asLong());
    byte[] body = Files.readAllBytes(blob(layout, manifest));
    return ((ImageManifest) Manifests.parse(body, manifest.mediaType())).layers();
  }

  private static Path blob(Path layout, Descriptor d) {
    return layout.resolve("blobs").resolve(d.digest().algorithm()).resolve(d.digest().hex());
  }
}
