package dev.berth.internal.manifest;

/** How a layer blob is compressed, as its media type says. */
public enum Compression {
  /** A plain tar. */
  NONE,
  /** A gzip-compressed tar ({@code +gzip}, and Docker's {@code rootfs.diff.tar.gzip}). */
  GZIP,
  /** A zstd-compressed tar ({@code +zstd}). */
  ZSTD
}
