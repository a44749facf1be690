package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.ContainerList;
import dev.berth.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** info and version. */
final class SystemCommands {
  private SystemCommands() {}

  @Command(name = "info", description = "Display system-wide information")
  static final class Info implements Callable<Integer> {
    @Mixin HelpOption help;

    @Override
    public Integer call() {
      Berth berth = Berth.defaultEngine();
      ContainerList all = berth.containers(true);
      long running = all.stream().filter(c -> c.state() == dev.berth.ContainerInfo.State.RUNNING).count();
      long paused = all.stream().filter(c -> c.state() == dev.berth.ContainerInfo.State.PAUSED).count();
      System.out.println("Containers: " + all.size());
      System.out.println(" Running: " + running);
      System.out.println(" Paused: " + paused);
      System.out.println(" Stopped: " + (all.size() - running - paused));
      System.out.println("Images: " + berth.images().size());
      System.out.println("Berth Version: " + Version.berthVersion());
      System.out.println("Kernel Version: " + System.getProperty("os.version"));
      System.out.println("OSType: linux");
      System.out.println("Architecture: " + System.getProperty("os.arch"));
      System.out.println("Platform: " + Platform.current());
      System.out.println("Berth Root Dir: " + berth.home());
      System.out.println("Registry Mirrors: " + env("BERTH_REGISTRY_MIRRORS"));
      System.out.println("Insecure Registries: " + env("BERTH_INSECURE_REGISTRIES"));
      return 0;
    }

    private static String env(String name) {
      String v = System.getenv(name);
      return v == null || v.isBlank() ? "none" : v;
    }
  }

  @Command(name = "version", description = "Show the Berth version information")
  static final class Version implements Callable<Integer> {
    @Mixin HelpOption help;

    @Override
    public Integer call() {
      System.out.println("Berth:");
      System.out.println(" Version:      " + berthVersion());
      System.out.println(" Java version: " + System.getProperty("java.version"));
      System.out.println(" OS/Arch:      " + Platform.current());
      return 0;
    }

    /** @return the version Maven built this CLI as */
    static String berthVersion() {
      Properties p = new Properties();
      try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        // a missing version is not worth failing for
      }
      return p.getProperty("version", "unknown");
    }
  }
}
