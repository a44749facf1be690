package dev.berth.internal.build;

import dev.berth.Platform;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.ImageConfig.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Copies of image configs with one part changed: the records have no withers of their own. */
final class Configs {
  private Configs() {}

  /** The config of an image built from scratch for {@code platform}. */
  static ImageConfig scratch(Platform platform, String created) {
    return new ImageConfig(created, null, platform.architecture(), platform.os(), null, null,
        platform.variant(), null, new ImageConfig.RootFs("layers", List.of()), null);
  }

  static ImageConfig with(ImageConfig c, ContainerConfig cc, ImageConfig.RootFs rootfs,
      ImageConfig.History added) {
    List<ImageConfig.History> history = new ArrayList<>(c.history());
    if (added != null) {
      history.add(added);
    }
    return new ImageConfig(c.created(), c.author(), c.architecture(), c.os(), c.osVersion(),
        c.osFeatures(), c.variant(), cc, rootfs == null
            ? new ImageConfig.RootFs("layers", List.of()) : rootfs, history);
  }

  static ImageConfig withCreated(ImageConfig c, String created) {
    return new ImageConfig(created, c.author(), c.architecture(), c.os(), c.osVersion(),
        c.osFeatures(), c.variant(), c.config(), c.rootfs(), c.history());
  }

  /** A mutable copy of a container config, for the steps that change one field. */
  static final class Editor {
    String user;
    final Set<String> exposedPorts;
    final Map<String, String> env = new LinkedHashMap<>();
    List<String> entrypoint;
    List<String> cmd;
    final Set<String> volumes;
    String workingDir;
    final Map<String, String> labels;
    String stopSignal;
    ImageConfig.HealthCheck healthcheck;
    List<String> shell;
    List<String> onBuild;

    Editor(ContainerConfig c) {
      user = c.user();
      exposedPorts = new LinkedHashSet<>(c.exposedPorts());
      for (String kv : c.env()) {
        int eq = kv.indexOf('=');
        env.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
      }
      entrypoint = c.entrypoint();
      cmd = c.cmd();
      volumes = new LinkedHashSet<>(c.volumes());
      workingDir = c.workingDir();
      labels = new LinkedHashMap<>(c.labels());
      stopSignal = c.stopSignal();
      healthcheck = c.healthcheck();
      shell = c.shell();
      onBuild = c.onBuild();
    }

    ContainerConfig build() {
      List<String> envList = new ArrayList<>();
      env.forEach((k, v) -> envList.add(k + "=" + v));
      return new ContainerConfig(user, exposedPorts, envList, entrypoint, cmd, volumes,
          workingDir, labels, stopSignal, healthcheck, shell, false, onBuild);
    }
  }
}
