package dev.berth.internal.engine;

import dev.berth.ContainerInfo;
import dev.berth.ContainerStats;
import dev.berth.ContainerTop;
import dev.berth.ExecOptions;
import dev.berth.LogLine;
import dev.berth.LogOptions;
import dev.berth.internal.runtime.ExecProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * What the public {@code Container} asks of the engine behind it: the local runtime
 * ({@link ContainerHandle}) or a remote engine ({@code internal.remote.RemoteContainer}). Each
 * method means what the public method of the same name documents.
 */
public interface ContainerBackend {
  String id();

  String name();

  InputStream stdout();

  InputStream stderr();

  OutputStream stdin();

  int waitFor() throws InterruptedException;

  boolean waitFor(Duration timeout) throws InterruptedException;

  CompletableFuture<?> onExit();

  int exitValue();

  boolean isAlive();

  void start();

  void stop(Duration timeout);

  void restart(Duration stopTimeout);

  void rename(String newName);

  void connect(String network, List<String> aliases);

  void disconnect(String network, boolean force);

  ContainerTop top();

  void kill(String signal);

  void remove(boolean force);

  ExecProcess exec(ExecOptions options);

  void resize(int rows, int cols);

  String logs();

  Stream<LogLine> logs(LogOptions options);

  ContainerStats stats();

  void pause(boolean paused);

  void copyTo(Path host, String containerPath);

  void copyFrom(String containerPath, Path host);

  ContainerInfo inspect();
}
