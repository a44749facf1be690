package dev.berth.internal.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host side of user-defined networks, through iproute2 and nftables: bridges and the NAT
 * rules. All NAT lives in one table Berth owns ({@code table inet berth}), one chain per network,
 * so removing a network deletes exactly what it added and nothing else is ever touched.
 */
final class HostNetwork {
  static final String NFT_TABLE = "berth";
  private static final Pattern CIDR = Pattern.compile("\\b(\\d{1,3}(?:\\.\\d{1,3}){3}(?:/\\d{1,2})?)\\b");

  private final Path ip;
  private final Path nft;

  HostNetwork() {
    this.ip = Commands.require("ip", "iproute2");
    this.nft = Commands.require("nft", "nftables");
  }

  Path ipTool() {
    return ip;
  }

  /** The IPv4 networks the host already routes or has addresses in: a new subnet must avoid them all. */
  List<Subnet> usedSubnets() {
    String text = ip("-4", "-o", "addr", "show") + ip("-4", "route", "show", "table", "all");
    List<Subnet> used = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = CIDR.matcher(line.startsWith("default") ? "" : line);
      if (m.find()) used.add(Subnet.parse(m.group(1)));
    }
    return used;
  }

  boolean linkExists(String name) {
    return Files.exists(Path.of("/sys/class/net", name));
  }

  void createBridge(String bridge, String gateway, int prefix) {
    ip("link", "add", "name", bridge, "type", "bridge");
    try {
      ip("addr", "add", gateway + "/" + prefix, "dev", bridge);
      ip("link", "set", bridge, "up");
    } catch (RuntimeException e) {
      deleteLink(bridge);
      throw e;
    }
  }

  /**
   * Hot-plugs a running container into a bridge: a veth pair made in the host's namespace with
   * its peer created right in the container's (by its init's pid), the host end on the bridge,
   * the peer named {@code iface} with the address and up. No default route: the container keeps
   * the one of the network it started on. On a failure the pair is deleted again.
   *
   * @param address with prefix, like 10.89.3.2/24
   */
  void plugVeth(String bridge, String veth, long pid, String iface, String address) {
    ip("link", "add", veth, "type", "veth", "peer", "name", iface, "netns", String.valueOf(pid));
    try {
      ip("link", "set", veth, "master", bridge, "up");
      inNamespace(pid, "addr", "add", address, "dev", iface);
      inNamespace(pid, "link", "set", iface, "up");
    } catch (RuntimeException e) {
      deleteLink(veth);
      throw e;
    }
  }

  /** Runs ip in the network namespace of pid, through util-linux's nsenter (a JVM cannot setns safely itself). */
  private void inNamespace(long pid, String... args) {
    List<String> argv = new ArrayList<>(List.of(Commands.require("nsenter", "util-linux").toString(),
        "--net=/proc/" + pid + "/ns/net", "--", ip.toString()));
    argv.addAll(List.of(args));
    Commands.run(argv);
  }

  /** Deletes a link when it is there (a veth also goes away with its container's namespace). */
  void deleteLink(String name) {
    if (linkExists(name)) Commands.tryRun(List.of(ip.toString(), "link", "del", name));
  }

  /** Masquerades the network's traffic leaving through any other interface; forwarding must be on. */
  void addNat(String bridge, String subnet) {
    nft("add", "table", "inet", NFT_TABLE);
    nft("add", "chain", "inet", NFT_TABLE, chain(bridge), "{ type nat hook postrouting priority srcnat; }");
    nft("add", "rule", "inet", NFT_TABLE, chain(bridge), "ip", "saddr", subnet, "oifname", "!=", bridge, "masquerade");
    enableForwarding();
  }

  /** Removes the network's chain, and Berth's table once it holds no chain. */
  void removeNat(String bridge) {
    Commands.tryRun(List.of(nft.toString(), "delete", "chain", "inet", NFT_TABLE, chain(bridge)));
    if (natChains().isEmpty()) Commands.tryRun(List.of(nft.toString(), "delete", "table", "inet", NFT_TABLE));
  }

  /** @return the chains in Berth's table (none when the table is absent) */
  List<String> natChains() {
    List<String> chains = new ArrayList<>();
    String text;
    try {
      text = Commands.run(List.of(nft.toString(), "list", "table", "inet", NFT_TABLE));
    } catch (RuntimeException e) {
      return chains; // no table
    }
    Matcher m = Pattern.compile("chain (\\S+) \\{").matcher(text);
    while (m.find()) chains.add(m.group(1));
    return chains;
  }

  static String chain(String bridge) {
    return "nat-" + bridge;
  }

  /** Like Docker: routing the containers' traffic out needs the host to forward IPv4. */
  private static void enableForwarding() {
    Path sysctl = Path.of("/proc/sys/net/ipv4/ip_forward");
    try {
      if (!Files.readString(sysctl).trim().equals("1")) Files.writeString(sysctl, "1\n");
    } catch (java.io.IOException e) {
      throw new dev.berth.BerthException("Cannot enable IPv4 forwarding (" + sysctl + ") for outbound NAT: " + e.getMessage(), e);
    }
  }

  private String ip(String... args) {
    return Commands.run(command(ip, args));
  }

  private String nft(String... args) {
    return Commands.run(command(nft, args));
  }

  private static List<String> command(Path tool, String... args) {
    List<String> argv = new ArrayList<>(List.of(tool.toString()));
    argv.addAll(List.of(args));
    return argv;
  }
}
