package dev.berth.internal.runtime;

import dev.berth.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * File changes an unprivileged user can only make from inside a user namespace holding its
 * subordinate ids: owners set to subordinate ids, and removing trees that hold such files. The
 * helper does them (a file system job, see src/main/c/CONFIG.md): it clones a child into a new
 * user namespace, maps it with newuidmap/newgidmap, and the child does the work as root there.
 */
public final class HelperJobs {
  private static final long TIMEOUT_SECONDS = 120;

  private final Supplier<Path> helper;
  private final IdMapping maps;
  private final Path scratch;

  /** An owner to set: path relative to the job's root, host ids. */
  public record Chown(String path, int uid, int gid) {}

  /**
   * A file system a job mounts in its own mount namespace: an image's layers, with a stopped
   * container's upper and work dirs to write through (or both null: read-only).
   *
   * @param lowersTopFirst layer dirs, the top layer first
   * @param userXattr the layers mark opaque dirs with {@code user.overlay.opaque}
   * @param fuseProgram fuse-overlayfs to mount with instead of the kernel's overlay, or null
   */
  public record View(List<Path> lowersTopFirst, Path upper, Path work, boolean userXattr, Path fuseProgram) {
    public View {
      lowersTopFirst = List.copyOf(lowersTopFirst);
      if (lowersTopFirst.isEmpty() || (upper == null) != (work == null)) {
        throw new IllegalArgumentException("a job's view needs layers, and an upper dir with a work dir or neither");
      }
    }
  }

  /**
   * A view kept mounted by a job until closed: the job's mount namespace is reached through
   * {@code /proc/PID/root}, as a running container's is.
   */
  public static final class HeldView implements AutoCloseable {
    private final Process process;
    private final Path root;
    private final String what;

    private HeldView(Process process, Path root, String what) {
      this.process = process;
      this.root = root;
      this.what = what;
    }

    /** @return the view's root as this process reaches it ({@code /proc/PID/root/...}) */
    public Path root() {
      return root;
    }

    /** Lets the job unmount and end; waits for it. */
    @Override
    public void close() {
      try {
        process.getOutputStream().close();
        finish(process, "", what);
      } catch (IOException e) {
        process.destroyForcibly();
        throw new BerthException("Cannot " + what + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * @param helper the helper executable
   * @param maps a {@link IdMapping.Kind#FULL_RANGE} mapping; a {@link IdMapping.Kind#SINGLE}
   *     one serves views ({@link #fill}, {@link #hold}) only, owners being the caller's anyway
   * @param scratch a directory for the job files
   */
  public HelperJobs(Path helper, IdMapping maps, Path scratch) {
    this(() -> helper, maps, scratch);
  }

  /** @param helper asked for the helper executable only when a job runs */
  public HelperJobs(Supplier<Path> helper, IdMapping maps, Path scratch) {
    if (maps.kind() == IdMapping.Kind.HOST) {
      throw new IllegalArgumentException("helper jobs are for a user namespace; root needs none");
    }
    this.helper = helper;
    this.maps = maps;
    this.scratch = scratch;
  }

  /** Sets the owners, in order, of files under {@code root}; needs the full id range. */
  public void chown(Path root, List<Chown> owners) {
    requireFullRange();
    if (!owners.isEmpty()) {
      run(root, HelperConfig.encodeJob(root, maps, owners, List.of()), "set the owners of " + owners.size() + " files in " + root);
    }
  }

  private void requireFullRange() {
    if (maps.kind() != IdMapping.Kind.FULL_RANGE) {
      throw new IllegalStateException("owners and removals need a full-range id mapping, not " + maps);
    }
  }

  /** Removes {@code tree} and everything in it, whoever of ours owns it; needs the full id range. */
  public void removeTree(Path tree) {
    requireFullRange();
    Path parent = tree.toAbsolutePath().getParent();
    String name = tree.getFileName().toString();
    run(parent, HelperConfig.encodeJob(parent, maps, List.of(), List.of(name)), "remove " + tree);
  }

  /**
   * Copies what the view has at {@code path} (an absolute path inside it; its symlinks stay
   * inside) into the directory {@code into}, owners, modes and times kept: a new volume filled
   * from its image. Nothing there: nothing copied.
   *
   * @param scratchView an empty directory to mount the view on (in the job's mount namespace)
   */
  public void fill(View view, String path, Path into, Path scratchView) {
    run(into, HelperConfig.encodeViewJob(into, maps, view, scratchView, path, false),
        "fill " + into + " from the image's " + path);
  }

  /**
   * Mounts the view at {@code at} in a job's own mount namespace and keeps it there until the
   * returned handle is closed.
   */
  public HeldView hold(View view, Path at) {
    String what = "mount the files of a stopped container at " + at;
    Path file = writeConfig(HelperConfig.encodeViewJob(at.getParent(), maps, view, at, null, true), what);
    try {
      Process p = new ProcessBuilder(helper.get().toString(), file.toString()).redirectErrorStream(true).start();
      String line = readLine(p);
      String started = HelperProtocol.STATUS_MAGIC + " started ";
      if (!line.startsWith(started)) {
        p.getOutputStream().close();
        finish(p, line, what);
        throw new BerthException("Cannot " + what + ": the helper said \"" + line + "\"");
      }
      return new HeldView(p, Path.of("/proc", line.substring(started.length()).strip(), "root").resolve(at.toString().substring(1)), what);
    } catch (IOException e) {
      throw new BerthException("Cannot " + what + ": running the Berth helper " + helper.get() + " failed: " + e.getMessage(), e);
    } finally {
      file.toFile().delete();
    }
  }

  private static String readLine(Process p) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int ch; (ch = p.getInputStream().read()) >= 0 && ch != '\n';) {
      b.append((char) ch);
    }
    return b.toString();
  }

  private Path writeConfig(byte[] config, String what) {
    try {
      Files.createDirectories(scratch);
      Path file = Files.createTempFile(scratch, "job-", ".config");
      Files.write(file, config);
      return file;
    } catch (IOException e) {
      throw new BerthException("Cannot " + what + ": cannot write the job's file in " + scratch + ": " + e.getMessage(), e);
    }
  }

  private void run(Path root, byte[] config, String what) {
    Path file = writeConfig(config, what);
    try {
      Process p = new ProcessBuilder(helper.get().toString(), file.toString()).redirectErrorStream(true).start();
      finish(p, "", what);
    } catch (IOException e) {
      throw new BerthException("Cannot " + what + ": running the Berth helper " + helper.get() + " failed: " + e.getMessage(), e);
    } finally {
      file.toFile().delete();
    }
  }

  /** Reads the rest of what the job says and requires it to end with "done". */
  private static void finish(Process p, String saidBefore, String what) throws IOException {
    try {
      String out = (saidBefore + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).strip();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new BerthException("Cannot " + what + ": the Berth helper did not finish in " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0 || !out.equals(HelperProtocol.STATUS_MAGIC + " " + HelperProtocol.STATUS_DONE)) {
        throw new BerthException("Cannot " + what + " in a user namespace with the subordinate ids: the helper said \""
            + out + "\" (exit " + p.exitValue() + ")");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BerthException("Interrupted while trying to " + what, e);
    }
  }
}
