package dev.berth.dockerapi;

import dev.berth.Berth;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Podman;
import dev.berth.testsupport.Registries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The engine behind a socket the docker CLI is pointed at: Berth served from this JVM, or, as a
 * peer to compare with, podman's API service confined to a directory.
 */
abstract class CliEngine implements AutoCloseable {
  final TestRegistry registry;
  final DockerCli docker;
  /** Berth's server, or null for podman. */
  final DockerApi api;

  private CliEngine(TestRegistry registry, DockerCli docker, DockerApi api) {
    this.registry = registry;
    this.docker = docker;
    this.api = api;
  }

  /** @return "berth" or "podman" */
  abstract String name();

  /** Makes test image {@code image} of the test registry known as {@code image:latest}. */
  abstract void provide(String image);

  @Override
  public abstract void close();

  /** Berth in this JVM, served by {@link DockerApi}, with the test registry as docker.io mirror. */
  static CliEngine berth(Path dir, String... images) {
    return berth(dir, b -> b, images);
  }

  /** As {@link #berth(Path, String...)}, the server also configured by {@code more} (TCP, TLS). */
  static CliEngine berth(Path dir, java.util.function.UnaryOperator<DockerApi.Builder> more,
      String... images) {
    TestRegistry registry = Registries.plainWith(images);
    Berth berth = Registries.engine(dir.resolve("home"), registry);
    DockerApi api = more.apply(DockerApi.builder(berth).socket(dir.resolve("docker.sock")))
        .start();
    return new CliEngine(registry, new DockerCli(api.dockerHost(), dir.resolve("docker-config")),
        api) {
      @Override
      String name() {
        return "berth";
      }

      @Override
      void provide(String image) {
        docker.ok("pull", image);
      }

      @Override
      public void close() {
        api.close();
        berth.containers(true).forEach(c -> berth.container(c.id()).remove(true));
        berth.networks().forEach(n -> berth.removeNetwork(n.name(), true)); // host bridges
        berth.close();
      }
    };
  }

  /**
   * {@code podman system service} on a socket of its own, with its storage under {@code dir}
   * (podman 4.3 here needs the containers.conf {@link Podman} writes); images are pulled from
   * the test registry with --tls-verify=false and tagged as docker.io's.
   */
  static CliEngine podman(Path dir, String... images) {
    TestRegistry registry = Registries.plainWith(images);
    Podman podman = Podman.podman(dir.resolve("podman"));
    Path socket = dir.resolve("podman.sock");
    Path p = dir.resolve("podman");
    ProcessBuilder pb = new ProcessBuilder("podman", "--root", p.resolve("root").toString(),
        "--runroot", p.resolve("runroot").toString(), "--storage-driver", "overlay",
        "--cgroup-manager=cgroupfs", "--events-backend=file", "system", "service", "--time=0",
        "unix://" + socket)
        .redirectErrorStream(true).redirectOutput(dir.resolve("podman-service.log").toFile());
    pb.environment().put("CONTAINERS_CONF", p.resolve("containers.conf").toString());
    // Pulls through the API (Berth's remote engine) reach the plain-HTTP test registry, and
    // docker.io's images come from it as its mirror, as they do for Berth's server.
    Path registries = p.resolve("registries.conf");
    try {
      Files.writeString(registries, "[[registry]]\nlocation = \"" + registry.host()
          + "\"\ninsecure = true\n\n[[registry]]\nprefix = \"docker.io\"\nlocation = \"docker.io\"\n"
          + "[[registry.mirror]]\nlocation = \"" + registry.host() + "\"\ninsecure = true\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pb.environment().put("CONTAINERS_REGISTRIES_CONF", registries.toString());
    Process service;
    try {
      service = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DockerCli docker = new DockerCli("unix://" + socket, dir.resolve("docker-config"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(socket) || docker.run("version").exitCode() != 0) {
      if (System.nanoTime() > deadline || !service.isAlive()) {
        service.destroy();
        throw new AssertionError("podman system service did not answer on " + socket);
      }
      sleep(100);
    }
    return new CliEngine(registry, docker, null) {
      @Override
      String name() {
        return "podman";
      }

      @Override
      void provide(String image) {
        String source = registry.host() + "/library/" + image + ":latest";
        try {
          podman.run("pull", "-q", "--tls-verify=false", source);
          podman.run("tag", source, "docker.io/library/" + image + ":latest");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }

      @Override
      public void close() {
        List<String> ids = docker.ok("ps", "-aq").lines().toList();
        if (!ids.isEmpty()) {
          docker.run(java.util.stream.Stream.concat(java.util.stream.Stream.of("rm", "-f"),
              ids.stream()).toArray(String[]::new));
        }
        service.destroy();
        try {
          service.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        service.destroyForcibly();
        podman.clean();
        // conmon keeps each exec session for 5 minutes (--exit-delay 300) after its container
        // is gone (hundreds after a run of fixtures, whose port checks are execs), and a
        // container podman failed to stop ("timed out waiting for file …/exits/…") outlives the
        // reset: its process and its conmon go too
        String root = p.toString() + "/";
        ProcessHandle.allProcesses().filter(h -> h.info().command().orElse("").endsWith("/conmon")
            && String.join(" ", h.info().arguments().orElse(new String[0])).contains(root))
            .forEach(h -> {
              h.descendants().forEach(ProcessHandle::destroyForcibly);
              h.destroy();
            });
      }
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
