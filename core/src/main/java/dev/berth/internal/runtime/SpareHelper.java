package dev.berth.internal.runtime;

import dev.berth.BerthException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A helper started before its container ({@code berth-helper --spare DIR...}, see spare.c): its
 * zygote sits in the given v1 cgroup dirs, so the container it starts needs no slow move into
 * them. {@link HelperLauncher#launch} claims it with its status pipe's and its config's paths; a
 * spare nobody claims is {@link #close() closed}, and one whose JVM dies ends by itself
 * (end-of-file on its stdin).
 */
public final class SpareHelper implements AutoCloseable {
  private final Process process;
  private final CompletableFuture<Boolean> ready;
  private boolean claimed;

  private SpareHelper(Process process) {
    this.process = process;
    this.ready = CompletableFuture.supplyAsync(() -> HelperProtocol.readStatusLine(process.getInputStream())
        .equals(HelperProtocol.STATUS_MAGIC + " " + HelperProtocol.STATUS_READY),
        dev.berth.internal.util.Threads.daemonPerTask("berth-spare-ready"));
  }

  /**
   * slirp4netns for a spare to start ahead, in its zygote's network namespace, for a container
   * on the private network (see spare.c and net.c).
   *
   * @param slirp4netns the program, as a private network's config names it
   * @param logDir where its log waits, unnamed, until a container claims it: a dir on the file
   *     system of the container dirs
   */
  public record Slirp(Path slirp4netns, Path logDir) {
  }

  /**
   * Starts a spare; it is ready once its zygote sits in the dirs ({@link #awaitReady}), and its
   * slirp4netns, if any, is up (or was dropped: then the container's start runs its own).
   *
   * @param cgroupDirs the v1 cgroup dirs its zygote joins; they become the container's, renamed
   * @param slirp slirp4netns to start ahead, or null
   * @throws BerthException when the helper cannot be started
   */
  public static SpareHelper start(Path helper, List<Path> cgroupDirs, Slirp slirp) {
    List<String> cmd = new ArrayList<>(List.of(helper.toString(), "--spare"));
    if (slirp != null) {
      cmd.addAll(List.of("--slirp", slirp.slirp4netns().toString(), slirp.logDir().toString()));
    }
    cgroupDirs.forEach(d -> cmd.add(d.toString()));
    try {
      return new SpareHelper(new ProcessBuilder(cmd).start());
    } catch (IOException e) {
      throw new BerthException("Cannot start a spare Berth helper " + helper + ": " + e.getMessage(), e);
    }
  }

  /** @return true once it is ready; false when it failed, or is not ready within the timeout */
  public boolean awaitReady(Duration timeout) {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return false;
    }
  }

  /** @return whether it is ready now (and still running); false, not an exception, when it failed */
  public boolean isReady() {
    return ready.isDone() && !ready.isCompletedExceptionally() && ready.join() && process.isAlive();
  }

  /** @return whether its process still runs (a spare killed from outside does not) */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** @return the helper's pid */
  public long pid() {
    return process.pid();
  }

  /**
   * Hands it the config: from now on it is the container's monitor, and its streams are the
   * container's. Call only once it is ready.
   *
   * @param status the FIFO it says how the start went on (a {@link StatusPipe})
   * @throws IOException when it is gone
   */
  Process claim(Path status, Path config) throws IOException {
    synchronized (this) {
      if (claimed) throw new IllegalStateException("spare helper " + process.pid() + " was claimed already");
      claimed = true;
    }
    // the length first (five digits), so the spare reads the claim in two reads (spare.c)
    byte[] paths = (status + "\n" + config + "\n").getBytes(StandardCharsets.UTF_8);
    if (paths.length > 99_999) throw new IllegalArgumentException("paths too long for a claim: " + status + ", " + config);
    OutputStream in = process.getOutputStream();
    in.write(String.format("%05d", paths.length).getBytes(StandardCharsets.US_ASCII));
    in.write(paths);
    in.flush(); // one write(2): the stream is buffered
    return process;
  }

  /**
   * Ends an unclaimed spare: end-of-file on its stdin makes it kill its zygote and remove its
   * cgroup dirs; returns once it has exited. Does nothing to a claimed one (it is a monitor).
   */
  @Override
  public void close() {
    synchronized (this) {
      if (claimed) return;
      claimed = true;
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "SpareHelper[pid " + process.pid() + (isReady() ? ", ready" : "") + "]";
  }
}
