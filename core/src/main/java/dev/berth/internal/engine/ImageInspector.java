package dev.berth.internal.engine;

import dev.berth.Digest;
import dev.berth.ImageInfo;
import dev.berth.Platform;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Store;
import dev.berth.internal.util.Rfc3339;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Builds the public {@link ImageInfo} of a stored image from its record and config blob. */
final class ImageInspector {
  private ImageInspector() {}

  static ImageInfo inspect(Store store, ImageRecord r) {
    Digest id = Digest.parse(r.id());
    ImageConfig config = Manifests.parseConfig(store.readBlob(id), "config " + id);
    ImageConfig.ContainerConfig c = config.config();
    return PublicValues.get().imageInfo(id, r.repoTags(), r.repoDigests(), instant(config.created()), r.size(),
        Platform.parse(r.platform()), c.entrypoint(), c.cmd(), c.env(),
        c.workingDir() == null ? "" : c.workingDir(), c.user() == null ? "" : c.user(),
        List.copyOf(c.exposedPorts()), List.copyOf(c.volumes()), c.labels(),
        c.stopSignal() == null ? "" : c.stopSignal(), config.diffIds());
  }

  private static Instant instant(String s) {
    try {
      return s == null ? null : Rfc3339.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
