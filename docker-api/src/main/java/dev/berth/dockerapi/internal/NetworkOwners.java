package dev.berth.dockerapi.internal;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.NetworkInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Networks that die with the JVM that made them, as containers created through a server with
 * {@code removeContainersWithJvm} do: such a server labels each network it creates with its
 * process ({@value #LABEL}{@code =<pid>@<start millis>}), and every server, when it starts,
 * removes the networks whose process is gone and that no container is on any more. A test JVM
 * killed with SIGKILL runs no hook: its containers go with it (their monitors watch the JVM),
 * its networks with the next server on the same home, or with {@code docker network prune}.
 */
final class NetworkOwners {
  static final String LABEL = "dev.berth.owner";

  private NetworkOwners() {}

  /** {@code labels} plus this JVM as the owner. */
  static Map<String, String> owned(Map<String, String> labels) {
    Map<String, String> out = new HashMap<>(labels);
    out.put(LABEL, self());
    return out;
  }

  /** Removes every network whose owning process is gone and that has no container. */
  static void sweep(Berth berth) {
    java.util.List<NetworkInfo> networks;
    try {
      networks = berth.networks();
    } catch (RuntimeException noNetworksHere) {
      return; // rootless, say: then nothing made any; serving must not fail on a sweep
    }
    for (NetworkInfo n : networks) {
      String owner = n.labels().get(LABEL);
      if (owner == null || alive(owner) || !n.containers().isEmpty()) {
        continue;
      }
      try {
        berth.removeNetwork(n.name(), false);
      } catch (BerthException raced) {
        // a container joined it, or another server swept it first: either is fine
      }
    }
  }

  private static String self() {
    ProcessHandle me = ProcessHandle.current();
    return me.pid() + "@" + startMillis(me).orElse(0L);
  }

  /** Whether the process the label names runs: the same pid and the same start time. */
  static boolean alive(String owner) {
    int at = owner.indexOf('@');
    if (at < 0) {
      return true; // not ours to judge
    }
    try {
      long pid = Long.parseLong(owner.substring(0, at));
      long started = Long.parseLong(owner.substring(at + 1));
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .map(p -> startMillis(p).map(s -> s == started || started == 0).orElse(true))
          .orElse(false);
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private static Optional<Long> startMillis(ProcessHandle p) {
    return p.info().startInstant().map(java.time.Instant::toEpochMilli);
  }
}
