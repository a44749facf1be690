package dev.berth.internal.util;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The Jackson mappers Berth's own files and the registry's small bodies are read and written
 * with, one per configuration really used. They are shared: configure none of them after this
 * class made it. Manifests have their own mapper ({@code manifest.Manifests}: digests as strings,
 * unknown fields ignored, empty fields left out), because the OCI documents need that and
 * nothing else does.
 */
public final class Json {
  /** Jackson's defaults: unknown properties fail, compact output. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /** The defaults, writing indented: files a person may read ({@code images.json}, records). */
  public static final ObjectMapper INDENTED =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The defaults, and text after the first value is an error rather than ignored. */
  public static final ObjectMapper NO_TRAILING_TEXT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}
}
