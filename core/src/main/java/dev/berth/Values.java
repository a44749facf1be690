package dev.berth;

import dev.berth.internal.engine.PublicValues;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Hands the package-private constructors of the value classes to the engine (see PublicValues). */
final class Values implements PublicValues.Factory {
  static {
    PublicValues.register(new Values());
  }

  private Values() {}

  @Override
  public ContainerInfo containerInfo(String id, String name, String image, String imageId,
      List<String> command, Instant created, ContainerInfo.State state, int exitCode,
      Instant startedAt, Instant finishedAt, long pid, boolean oomKilled, List<PortMapping> ports,
      Map<String, String> labels, HostInfo.UserNamespace userNamespace, HostInfo.RootfsMode rootfs,
      RunOptions options, List<String> env, String workingDir, String user, String hostname,
      List<ContainerInfo.Endpoint> networks) {
    return new ContainerInfo(id, name, image, imageId, command, created, state, exitCode, startedAt,
        finishedAt, pid, oomKilled, ports, labels, userNamespace, rootfs, options, env, workingDir,
        user, hostname, networks);
  }

  @Override
  public ImageInfo imageInfo(Digest id, List<String> repoTags, List<String> repoDigests,
      Instant created, long size, Platform platform, List<String> entrypoint, List<String> cmd,
      List<String> env, String workingDir, String user, List<String> exposedPorts,
      List<String> volumes, Map<String, String> labels, String stopSignal, List<Digest> layers) {
    return new ImageInfo(id, repoTags, repoDigests, created, size, platform, entrypoint, cmd, env,
        workingDir, user, exposedPorts, volumes, labels, stopSignal, layers);
  }

  @Override
  public HostInfo hostInfo(boolean rootless, HostInfo.UserNamespace userNamespace, List<HostInfo.IdRange> uidMap,
      List<HostInfo.IdRange> gidMap, HostInfo.RootfsMode rootfs, String cgroupVersion, boolean resourceLimitsPossible,
      String cgroupProblem, Map<String, String> networkModes,
      Map<String, String> networkModesUnavailable, Path storePath, Path helperPath,
      String kernelVersion, String engine, Map<String, String> unsupported,
      String publishedPortHost) {
    return new HostInfo(rootless, userNamespace, uidMap, gidMap, rootfs, cgroupVersion,
        resourceLimitsPossible, cgroupProblem, networkModes, networkModesUnavailable, storePath,
        helperPath, kernelVersion, engine, unsupported, publishedPortHost);
  }
}
