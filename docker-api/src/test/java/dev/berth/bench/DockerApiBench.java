package dev.berth.bench;

import static dev.berth.bench.Timing.exec;
import static dev.berth.bench.Timing.pair;

import dev.berth.Berth;
import dev.berth.RunOptions;
import dev.berth.dockerapi.DockerApi;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Row docker-api (issue #18): the real {@code docker} CLI through Berth's in-JVM API server and
 * through podman's API service ({@code podman system service}), in the same run, interleaved
 * (A B A B …): {@code docker run --rm busybox true}, then {@code docker ps -a} (the table),
 * {@code docker ps -a -q} and the raw {@code GET /containers/json?all=1} (curl) with
 * {@code containers} (default 1,000) created containers on each engine.
 * The floor of a CLI command is {@code docker version --format x} against the same socket
 * (the CLI's own start plus one round trip).
 *
 * <p>Run with {@code scripts/bench docker-api}.
 */
public final class DockerApiBench {
  private static final String DOCKER = "/usr/local/bin/docker";

  private DockerApiBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int containers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bda");
    TestRegistry reg = Registries.plainWith("busybox");
    String image = reg.host() + "/busybox:latest";
    Path berthSock = tmp.resolve("berth.sock");
    Path podmanSock = tmp.resolve("podman.sock");
    Process service = null;
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg);
        DockerApi api = DockerApi.serve(berth, berthSock);
        Podman podman = new Podman(tmp.resolve("p"))) {
      berth.pull("busybox");
      podman.run("pull", "-q", "--tls-verify=false", image);
      podman.run("tag", image, "docker.io/library/busybox:latest");
      service = podman.command("system", "service", "--time=0", "unix://" + podmanSock)
          .redirectErrorStream(true).redirectOutput(tmp.resolve("service.log").toFile()).start();
      awaitSocket(podmanSock);
      System.out.println("docker-api. the docker CLI " + docker(berthSock, "version", "--format",
          "{{.Client.Version}}").trim() + ", a new process each command, busybox present; " + runs
          + " runs each, interleaved with its peer");
      pair(runs, "docker run --rm busybox true → Berth (in-JVM API)",
          () -> docker(berthSock, "run", "--rm", "busybox", "true"),
          "docker run --rm busybox true → podman system service",
          () -> docker(podmanSock, "run", "--rm", "busybox", "true"));
      pair(runs, "floor: docker version → Berth", () -> docker(berthSock, "version", "--format", "x"),
          "floor: docker version → podman", () -> docker(podmanSock, "version", "--format", "x"));
      for (int i = 0; i < containers; i++) {
        berth.create("busybox", RunOptions.builder().command("true").build());
      }
      createMany(podman, containers);
      check(docker(berthSock, "ps", "-a", "-q"), containers, "Berth");
      check(docker(podmanSock, "ps", "-a", "-q"), containers, "podman");
      System.out.println("  with " + containers + " created containers on each engine:");
      pair(runs, "docker ps -a → Berth", () -> docker(berthSock, "ps", "-a"),
          "docker ps -a → podman", () -> docker(podmanSock, "ps", "-a"));
      pair(runs, "docker ps -a -q → Berth", () -> docker(berthSock, "ps", "-a", "-q"),
          "docker ps -a -q → podman", () -> docker(podmanSock, "ps", "-a", "-q"));
      pair(runs, "GET /containers/json?all=1 (curl) → Berth",
          () -> curl(berthSock, "/v1.44/containers/json?all=1"),
          "GET /containers/json?all=1 (curl) → podman",
          () -> curl(podmanSock, "/v1.44/containers/json?all=1"));
    } finally {
      if (service != null) {
        service.destroy();
        service.waitFor();
      }
      exec("rm", "-rf", tmp.toString());
    }
  }

  private static void createMany(Podman podman, int n) throws Exception {
    // podman create is ~0.1 s a container: create them from a shell loop in one process
    List<String> script = new ArrayList<>();
    // one line a container: xargs -I skips empty lines, so "echo" lines created none at all
    script.add("seq " + n + " | xargs -P 2 -I{} " + String.join(" ",
        podman.command("create", "-q", "docker.io/library/busybox:latest", "true").command())
        + " >/dev/null");
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script.get(0));
    pb.environment().putAll(podman.command().environment());
    exec(pb);
  }

  private static void check(String ids, int count, String engine) {
    long listed = ids.lines().count();
    if (listed != count) {
      throw new IllegalStateException("docker ps -a -q lists " + listed + " containers on " + engine
          + ", expected " + count);
    }
  }

  private static String docker(Path socket, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(DOCKER));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DOCKER_HOST", "unix://" + socket);
    return exec(pb);
  }

  private static String curl(Path socket, String path) throws Exception {
    return exec("curl", "-sf", "--unix-socket", socket.toString(), "http://d" + path);
  }

  private static void awaitSocket(Path socket) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(socket)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("podman system service did not create " + socket);
      }
      Thread.sleep(50);
    }
    Thread.sleep(200);
  }
}
