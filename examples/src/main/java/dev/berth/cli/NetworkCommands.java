package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.NetworkInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth network create|ls|rm|inspect|connect|disconnect}: user-defined networks (root only). */
@Command(name = "network", description = "Manage networks",
    subcommands = {NetworkCommands.Create.class, NetworkCommands.Ls.class,
        NetworkCommands.Rm.class, NetworkCommands.Inspect.class, NetworkCommands.Connect.class,
        NetworkCommands.Disconnect.class})
final class NetworkCommands implements Runnable {
  @Mixin HelpOption help;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "create", description = "Create a network")
  static final class Create implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Set metadata on the network")
    List<String> labels = new ArrayList<>();

    @Parameters(paramLabel = "NETWORK")
    String name;

    @Override
    public Integer call() {
      java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
      for (String l : labels) {
        int eq = l.indexOf('=');
        map.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
      }
      System.out.println(Berth.defaultEngine().createNetwork(name, map).name());
      return 0;
    }
  }

  @Command(name = "connect", description = "Connect a container to a network")
  static final class Connect implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = "--alias", paramLabel = "ALIAS", description = "Add a network-scoped alias for the container")
    List<String> aliases = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "NETWORK")
    String network;

    @Parameters(index = "1", paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() {
      Berth.defaultEngine().container(container).connect(network, aliases);
      return 0;
    }
  }

  @Command(name = "disconnect", description = "Disconnect a container from a network")
  static final class Disconnect implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force the container to disconnect from a network")
    boolean force;

    @Parameters(index = "0", paramLabel = "NETWORK")
    String network;

    @Parameters(index = "1", paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() {
      Berth.defaultEngine().container(container).disconnect(network, force);
      return 0;
    }
  }

  @Command(name = "ls", aliases = "list", description = "List networks")
  static final class Ls implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-q", "--quiet"}, description = "Only display network names")
    boolean quiet;

    @Override
    public Integer call() {
      List<NetworkInfo> networks = Berth.defaultEngine().networks();
      if (quiet) {
        networks.forEach(n -> System.out.println(n.name()));
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("NAME", "DRIVER", "SUBNET", "GATEWAY", "CONTAINERS"));
      networks.forEach(n -> rows.add(List.of(n.name(), "bridge", n.subnet(), n.gateway(),
          String.valueOf(n.containers().size()))));
      System.out.print(Table.render(rows));
      return 0;
    }
  }

  @Command(name = "rm", aliases = "remove", description = "Remove one or more networks")
  static final class Rm implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Remove it even with containers attached")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "NETWORK")
    List<String> names;

    @Override
    public Integer call() {
      return Targets.each(names, n -> Berth.defaultEngine().removeNetwork(n, force));
    }
  }

  @Command(name = "inspect", description = "Display detailed information on one or more networks")
  static final class Inspect implements Callable<Integer> {
    @Mixin HelpOption help;

    @Parameters(arity = "1..*", paramLabel = "NETWORK")
    List<String> names;

    @Override
    public Integer call() throws Exception {
      return InspectCommand.byName(Berth.defaultEngine().networks(), NetworkInfo::name,
          InspectJson::network, names, "network");
    }
  }
}
