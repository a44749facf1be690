package dev.berth.internal.engine;

import dev.berth.ContainerInfo;
import dev.berth.HostInfo;
import dev.berth.ImageInfo;
import dev.berth.Digest;
import dev.berth.Platform;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Makes the public value classes whose constructors are not public ({@link ContainerInfo},
 * {@link ImageInfo}, {@link HostInfo}), so a field added to them is not a breaking change. The
 * public package registers its factory here when its class {@code dev.berth.Values} loads
 * (the JDK's SharedSecrets pattern).
 */
public final class PublicValues {
  private static volatile Factory factory;

  private PublicValues() {}

  /** The constructors, as the public package hands them out. */
  public interface Factory {
    ContainerInfo containerInfo(String id, String name, String image, String imageId,
        List<String> command, Instant created, ContainerInfo.State state, int exitCode,
        Instant startedAt, Instant finishedAt, long pid, boolean oomKilled, List<PortMapping> ports,
        Map<String, String> labels, HostInfo.UserNamespace userNamespace,
        HostInfo.RootfsMode rootfs, RunOptions options, List<String> env, String workingDir,
        String user, String hostname, List<ContainerInfo.Endpoint> networks);

    ImageInfo imageInfo(Digest id, List<String> repoTags, List<String> repoDigests, Instant created,
        long size, Platform platform, List<String> entrypoint, List<String> cmd, List<String> env,
        String workingDir, String user, List<String> exposedPorts, List<String> volumes,
        Map<String, String> labels, String stopSignal, List<Digest> layers);

    HostInfo hostInfo(boolean rootless, HostInfo.UserNamespace userNamespace, List<HostInfo.IdRange> uidMap,
        List<HostInfo.IdRange> gidMap, HostInfo.RootfsMode rootfs, String cgroupVersion,
        boolean resourceLimitsPossible, String cgroupProblem, Map<String, String> networkModes,
        Map<String, String> networkModesUnavailable, Path storePath, Path helperPath,
        String kernelVersion, String engine, Map<String, String> unsupported,
        String publishedPortHost);
  }

  /** Called once, by {@code dev.berth.Values}. */
  public static void register(Factory f) {
    factory = f;
  }

  /** @return the factory, loading the public package's class that registers it if need be */
  public static Factory get() {
    Factory f = factory;
    if (f == null) {
      try {
        Class.forName("dev.berth.Values", true, PublicValues.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("dev.berth.Values is missing from this Berth", e);
      }
      f = factory;
    }
    return f;
  }
}
