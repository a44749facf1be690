package dev.berth.internal.reference;

import dev.berth.ImageRef;

/** Parses references by the distribution reference grammar. TODO: full grammar (issue 2). */
public final class ReferenceParser {
  private ReferenceParser() {}

  public static ImageRef parse(String reference) {
    throw new UnsupportedOperationException("not yet");
  }
}
