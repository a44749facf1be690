package dev.berth.internal.build;

import dev.berth.BerthException;
import dev.berth.BuildStep;
import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.PullListener;
import dev.berth.internal.engine.Engine;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs build steps against one engine's store: starts from a base image (pulled when missing) or
 * scratch, applies each step (or takes its result from the cache), and numbers the steps for the
 * listener. The result is a {@link BuildState}; {@link ImageOutput} stores, saves or pushes it.
 */
public final class BuildSession {
  private final Engine engine;
  private final Store store;
  private final BuildSettings settings;
  private final BuildCache cache;
  private final LayerCommitter committer;
  private final StepRunner runner;
  private int stepNumber;

  public BuildSession(Engine engine, BuildSettings settings) {
    this.engine = engine;
    this.store = engine.store();
    this.settings = settings;
    this.cache = new BuildCache(store);
    this.committer = new LayerCommitter(store);
    this.runner = new StepRunner(store);
  }

  public Engine engine() {
    return engine;
  }

  public BuildSettings settings() {
    return settings;
  }

  /** An empty image for this engine's platform. */
  public BuildState scratch() {
    return new BuildState(Configs.scratch(engine.settings().platform(), created()), List.of());
  }

  /** The stored image {@code reference}, pulled first when missing. */
  public BuildState base(String reference) {
    ImageRecord r = engine.findImage(reference)
        .orElseGet(() -> engine.pull(reference, settings.registryAuths().get(
            dev.berth.ImageRef.parse(reference).registry()), PullListener.NONE));
    return state(r);
  }

  /** The state of a stored image: its config and its layers with their blobs. */
  BuildState state(ImageRecord r) {
    ImageConfig config = Manifests.parseConfig(store.readBlob(Digest.parse(r.id())),
        "config of " + r.id());
    ImageManifest m = (ImageManifest) Manifests.parse(
        store.readBlob(Digest.parse(r.manifestDigest())), r.manifestMediaType());
    List<LayerRef> layers = new ArrayList<>();
    for (int i = 0; i < r.chainIds().size(); i++) {
      Descriptor d = m.layers().get(i);
      long size = store.layerMeta(Digest.parse(r.chainIds().get(i))).map(Store.LayerMeta::size)
          .orElse(0L);
      layers.add(new LayerRef(Digest.parse(r.diffIds().get(i)), Digest.parse(r.chainIds().get(i)),
          d.digest(), d.size(), d.mediaType(), size));
    }
    return new BuildState(config, layers);
  }

  /** Applies one step, from the cache when it has the result. */
  public BuildState apply(BuildState state, Step step) {
    int number = ++stepNumber;
    if (step instanceof Step.Config c) {
      Configs.Editor e = new Configs.Editor(state.config().config());
      c.edit().accept(e);
      BuildState next = state.withConfig(e.build(), history(c.createdBy(), true));
      settings.listener().onStep(new BuildStep(number, step.text(), false));
      return next;
    }
    Digest key = BuildCache.key(state, cacheText(step));
    if (!settings.noCache()) {
      var hit = cache.get(key);
      if (hit.isPresent()) {
        settings.listener().onStep(new BuildStep(number, step.text(), true));
        return hit.get();
      }
    }
    BuildState next = step instanceof Step.Copy c ? copy(state, c) : run(state, (Step.Run) step);
    cache.put(key, next);
    settings.listener().onStep(new BuildStep(number, step.text(), false));
    return next;
  }

  private static String cacheText(Step step) {
    if (step instanceof Step.Copy c) {
      return c.createdBy() + "\n" + c.attrs() + "\n" + c.extractArchives() + "\n"
          + (c.sourceId() != null ? c.sourceId()
          : FileStager.hash(c.source().get().resolve(c.patterns(), c.dest())));
    }
    Step.Run r = (Step.Run) step;
    return r.createdBy() + "\n" + r.argv() + "\n" + r.buildArgs();
  }

  private BuildState copy(BuildState state, Step.Copy c) {
    Path staging = store.newTempDir("copy-");
    try {
      Path diff = Files.createDirectory(staging.resolve("diff"));
      List<CopySource.Entry> entries = c.source().get().resolve(c.patterns(), c.dest());
      List<Path> lowers = runner.lowersTopFirst(state);
      if (c.extractArchives()) {
        entries = Archives.extractAll(entries, diff, lowers, settings.fileTime());
      }
      FileStager.stage(entries, diff, c.attrs(), lowers);
      return commit(state, staging, c.createdBy());
    } catch (IOException e) {
      throw new BerthException("cannot stage " + c.text() + " in " + staging + ": " + e, e);
    }
  }

  private BuildState run(BuildState state, Step.Run r) {
    Path staging = runner.run(state, r.argv(), r.buildArgs(), settings.hostNetwork(),
        settings.listener().output(), r.text());
    return commit(state, staging, r.createdBy());
  }

  private BuildState commit(BuildState state, Path staging, String createdBy) {
    LayerRef layer = committer.commit(staging, state.topChainId(), settings.clamp());
    return state.withLayer(layer, history(createdBy, false));
  }

  /** @return the state with the config's creation time set: the image as it is stored */
  public BuildState finish(BuildState state) {
    return new BuildState(Configs.withCreated(state.config(), created()), state.layers());
  }

  /** Temp dir helper for stage copies; deleted with the store session. */
  public Path newTempDir(String prefix) {
    return store.newTempDir(prefix);
  }

  /** The layer dirs of a state, base first (for reading a stage's files). */
  public List<Path> layerDirs(BuildState state) {
    List<Path> dirs = new ArrayList<>(runner.lowersTopFirst(state));
    java.util.Collections.reverse(dirs);
    return dirs;
  }

  private ImageConfig.History history(String createdBy, boolean empty) {
    return new ImageConfig.History(created(), createdBy, null, null, empty);
  }

  private String created() {
    return settings.created().toString();
  }

  static void deleteQuietly(Path p) {
    try {
      FileTrees.deleteRecursively(p);
    } catch (IOException ignored) {
      // swept with the store session
    }
  }

  /** @return the reference normalised, refusing digests (a build makes tags) */
  static ImageRef tagRef(String tag) {
    ImageRef ref = ImageRef.parse(tag);
    if (ref.digest() != null) {
      throw new BerthException("cannot tag a built image with a digest reference: " + tag
          + "; give a name and tag, e.g. myapp:1.0");
    }
    return ref;
  }
}
