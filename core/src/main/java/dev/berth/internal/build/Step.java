package dev.berth.internal.build;

import dev.berth.Digest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** One build step: what it does to the image so far, and what its history entry says. */
public sealed interface Step {

  /** @return the step as written, for events and history ({@code RUN make}) */
  String text();

  /** A change to the config only: no layer, no cache. */
  record Config(String text, String createdBy, Consumer<Configs.Editor> edit) implements Step {}

  /**
   * Files into a new layer.
   *
   * @param source where the files come from; made only when the cache misses
   * @param sourceId identifies the source's whole content (a stage's image id), or null to hash
   *     the copied files
   * @param extractArchives whether local tar archives are unpacked (ADD)
   */
  record Copy(String text, String createdBy, Supplier<CopySource> source, Digest sourceId,
      List<String> patterns, String dest, FileStager.Attrs attrs, boolean extractArchives)
      implements Step {}

  /**
   * A command in a container of the image so far, whose changes become a layer.
   *
   * @param argv the full command line (a shell form already wrapped in the shell)
   * @param buildArgs the build args the command sees; part of the cache key, as Docker's
   */
  record Run(String text, String createdBy, List<String> argv, Map<String, String> buildArgs)
      implements Step {

    public Run {
      argv = List.copyOf(argv);
      buildArgs = new TreeMap<>(buildArgs);
    }
  }
}
