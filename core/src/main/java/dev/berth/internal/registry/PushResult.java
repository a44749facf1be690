package dev.berth.internal.registry;

/** How a blob came to be in the target repository. */
public enum PushResult {
  /** It was there already; nothing was sent. */
  EXISTED,
  /** The registry linked it from another repository (cross-repository mount); nothing was sent. */
  MOUNTED,
  /** Its bytes were uploaded. */
  UPLOADED
}
