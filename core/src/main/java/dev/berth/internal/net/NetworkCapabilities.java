package dev.berth.internal.net;

import dev.berth.internal.linux.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which network modes work on this host, and why not where they do not: the answer behind
 * {@code Berth.info()}.
 *
 * @param unavailable each mode that does not work here, with the reason and the fix
 * @param outbound for modes that work: whether containers can reach other hosts, and how
 */
public record NetworkCapabilities(Map<NetworkSpec.Mode, String> unavailable, Map<NetworkSpec.Mode, String> outbound) {
  public NetworkCapabilities {
    unavailable = Map.copyOf(unavailable);
    outbound = Map.copyOf(outbound);
  }

  /** @return what this process (root or not) can use on this host */
  public static NetworkCapabilities probe() {
    boolean root = Linux.isRoot();
    Map<NetworkSpec.Mode, String> no = new EnumMap<>(NetworkSpec.Mode.class);
    Map<NetworkSpec.Mode, String> out = new EnumMap<>(NetworkSpec.Mode.class);
    if (!root && !userNamespaces()) {
      String why = "needs a network namespace: run as root or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)";
      no.put(NetworkSpec.Mode.NONE, why);
      no.put(NetworkSpec.Mode.PRIVATE, why);
    }
    if (!root) {
      no.put(NetworkSpec.Mode.CONTAINER, "joining another container's network namespace needs root (a rootless "
          + "container's namespace is owned by its own user namespace)");
      no.put(NetworkSpec.Mode.BRIDGE, "user-defined networks need root (bridges, veths and NAT are host-wide); "
          + "rootless containers can use the private network with published ports");
    } else if (Commands.find("ip").isEmpty() || Commands.find("nft").isEmpty()) {
      no.put(NetworkSpec.Mode.BRIDGE, "user-defined networks need the ip and nft commands: apt-get install iproute2 nftables");
    }
    out.put(NetworkSpec.Mode.HOST, "yes: the host's own network");
    out.put(NetworkSpec.Mode.NONE, "no: only lo");
    out.put(NetworkSpec.Mode.PRIVATE, slirp().isPresent() ? "yes: through slirp4netns (user-space NAT; the host's loopback stays out of reach)"
        : Commands.find("slirp4netns").isEmpty() ? "no: only lo and published ports; apt-get install slirp4netns for outbound traffic"
        : "no: only lo and published ports; slirp4netns needs read-write access to /dev/net/tun for this user");
    out.put(NetworkSpec.Mode.CONTAINER, "as the joined container's");
    out.put(NetworkSpec.Mode.BRIDGE, "yes: NAT (masquerade) in nftables table inet " + HostNetwork.NFT_TABLE
        + "; Berth turns on net.ipv4.ip_forward when it creates a network");
    no.keySet().forEach(out::remove);
    return new NetworkCapabilities(no, out);
  }

  /** @return whether the mode works here */
  public boolean supports(NetworkSpec.Mode mode) {
    return !unavailable.containsKey(mode);
  }

  /** @return why the mode does not work here, if it does not */
  public Optional<String> whyNot(NetworkSpec.Mode mode) {
    return Optional.ofNullable(unavailable.get(mode));
  }

  /** @return slirp4netns when installed and usable by this user (it opens /dev/net/tun) */
  public static Optional<Path> slirp() {
    Optional<Path> known = slirpFound;
    if (known != null && Files.isExecutable(known.get())) return known;
    Path tun = Path.of("/dev/net/tun");
    Optional<Path> found = Files.isReadable(tun) && Files.isWritable(tun) ? Commands.find("slirp4netns") : Optional.empty();
    slirpFound = found.isPresent() ? found : null; // not found: look again next time (it may be installed meanwhile)
    return found;
  }

  /** slirp4netns once found: a start need not search PATH again while it stays there. */
  private static volatile Optional<Path> slirpFound;

  private static boolean userNamespaces() {
    try {
      Path knob = Path.of("/proc/sys/kernel/unprivileged_userns_clone");
      boolean allowed = !Files.exists(knob) || Files.readString(knob).trim().equals("1");
      return allowed && !Files.readString(Path.of("/proc/sys/user/max_user_namespaces")).trim().equals("0");
    } catch (IOException e) {
      return false;
    }
  }
}
