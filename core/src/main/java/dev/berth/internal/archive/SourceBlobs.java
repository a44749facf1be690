package dev.berth.internal.archive;

import dev.berth.BerthException;
import dev.berth.internal.manifest.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/** The writers' access to layers: each read from the {@link BlobSource} and verified. */
final class SourceBlobs {
  private static final String ADVICE =
      "the stored copy is damaged: remove the image and pull or load it again, then save";

  /** What to do with a layer's content. */
  @FunctionalInterface
  interface Body {
    void accept(InputStream content) throws IOException;
  }

  private final BlobSource source;

  SourceBlobs(BlobSource source) {
    this.source = source;
  }

  /**
   * Hands the layer to {@code body}, then checks it was exactly the content the descriptor names.
   *
   * @throws dev.berth.DigestMismatchException when the stored content hashes otherwise
   * @throws BerthException when the source cannot open it
   */
  void read(Descriptor layer, Body body) throws IOException {
    InputStream raw;
    try {
      raw = source.open(layer.digest());
    } catch (IOException e) {
      throw new BerthException("cannot read layer " + layer.digest() + " to save it: " + e
          + "; pull or load the image again, then save", e);
    }
    try (raw) {
      VerifiedStream verified = new VerifiedStream(raw, layer.digest(), layer.size(),
          "layer " + layer.digest() + " in the store", ADVICE);
      body.accept(verified);
      verified.finish();
    }
  }
}
