package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.Image;
import dev.berth.ImageNotFoundException;
import dev.berth.ImageRef;
import java.io.PrintStream;

/** Docker's pull transcript around {@link Berth#pull}, shared by {@code pull} and {@code run}. */
final class Pulls {
  private Pulls() {}

  /** How pull progress is shown. */
  enum Progress {
    /** Bars on a terminal, plain lines otherwise. */
    auto,
    /** One line per layer and status change. */
    plain,
    /** Bars with ANSI cursor movement, even when not on a terminal. */
    tty;

    boolean ansi() {
      return this == tty || (this == auto && System.console() != null);
    }
  }

  /**
   * Pulls {@code reference}, printing Docker's lines: {@code latest: Pulling from library/node},
   * one per layer, {@code Digest:} and {@code Status:}.
   */
  static Image pull(Berth berth, String reference, PrintStream out, Progress progress) {
    ImageRef ref = ImageRef.parse(reference);
    out.println(ref.tagOrDigest() + ": Pulling from " + ref.repository());
    PullProgressPrinter printer = new PullProgressPrinter(out, progress.ansi());
    Image image = berth.pull(reference, printer);
    out.println("Digest: " + image.manifestDigest());
    out.println("Status: " + (printer.downloadedAny() ? "Downloaded newer image for "
        : "Image is up to date for ") + ref.familiar());
    return image;
  }

  /** The stored image, or, as {@code docker run}, pulled after "Unable to find image … locally". */
  static Image localOrPull(Berth berth, String reference, PrintStream out, Progress progress) {
    try {
      return berth.image(reference);
    } catch (ImageNotFoundException e) {
      out.println("Unable to find image '" + ImageRef.parse(reference).familiar() + "' locally");
      return pull(berth, reference, out, progress);
    }
  }

  /** @return true when the user named neither tag nor digest ("Using default tag: latest") */
  static boolean usesDefaultTag(String reference) {
    return !reference.contains("@")
        && !reference.substring(reference.lastIndexOf('/') + 1).contains(":");
  }
}
