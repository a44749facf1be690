package dev.berth.internal.runtime;

import dev.berth.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * File changes an unprivileged user can only make from inside a user namespace holding its
 * subordinate ids: owners set to subordinate ids, and removing trees that hold such files. The
 * helper does them (a file system job, see src/main/c/CONFIG.md): it clones a child into a new
 * user namespace, maps it with newuidmap/newgidmap, and the child does the work as root there.
 */
public final class HelperJobs {
  private static final long TIMEOUT_SECONDS = 120;

  private final Path helper;
  private final IdMapping maps;
  private final Path scratch;

  /** An owner to set: path relative to the job's root, host ids. */
  public record Chown(String path, int uid, int gid) {}

  /**
   * @param helper the helper executable
   * @param maps a {@link IdMapping.Kind#FULL_RANGE} mapping
   * @param scratch a directory for the job files
   */
  public HelperJobs(Path helper, IdMapping maps, Path scratch) {
    if (maps.kind() != IdMapping.Kind.FULL_RANGE) {
      throw new IllegalArgumentException("helper jobs need a full-range id mapping, not " + maps);
    }
    this.helper = helper;
    this.maps = maps;
    this.scratch = scratch;
  }

  /** Sets the owners, in order, of files under {@code root}. */
  public void chown(Path root, List<Chown> owners) {
    if (!owners.isEmpty()) {
      run(root, HelperConfig.encodeJob(root, maps, owners, List.of()), "set the owners of " + owners.size() + " files in " + root);
    }
  }

  /** Removes {@code tree} and everything in it, whoever of ours owns it. */
  public void removeTree(Path tree) {
    Path parent = tree.toAbsolutePath().getParent();
    String name = tree.getFileName().toString();
    run(parent, HelperConfig.encodeJob(parent, maps, List.of(), List.of(name)), "remove " + tree);
  }

  private void run(Path root, byte[] config, String what) {
    Path file = null;
    try {
      Files.createDirectories(scratch);
      file = Files.createTempFile(scratch, "job-", ".config");
      Files.write(file, config);
      Process p = new ProcessBuilder(helper.toString(), file.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new BerthException("Cannot " + what + ": the Berth helper did not finish in " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0 || !out.equals(HelperProtocol.STATUS_MAGIC + " " + HelperProtocol.STATUS_DONE)) {
        throw new BerthException("Cannot " + what + " in a user namespace with the ids " + maps + ": the helper said \""
            + out + "\" (exit " + p.exitValue() + ")");
      }
    } catch (IOException e) {
      throw new BerthException("Cannot " + what + ": running the Berth helper " + helper + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException("Interrupted while trying to " + what, e);
    } finally {
      if (file != null) {
        file.toFile().delete();
      }
    }
  }
}
