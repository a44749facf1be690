package dev.berth.internal.build;

import dev.berth.BuildListener;
import java.time.Instant;

/**
 * How a build session behaves.
 *
 * @param created the creation time written into configs and history (fixed by default, so the
 *     same inputs give the same image id)
 * @param fileTime the mtime of copied files
 * @param clamp RUN layers' mtimes later than this are written as it, or null to keep them
 * @param hostNetwork whether RUN shares the host's network
 * @param noCache whether every step runs even when cached
 */
public record BuildSettings(Instant created, Instant fileTime, Instant clamp, boolean hostNetwork,
    boolean noCache, BuildListener listener) {}
