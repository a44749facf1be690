package dev.berth.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testimages.TestImages;
import dev.berth.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.images.RemoteDockerImage;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers pulls from a registry with htpasswd using the login in its
 * {@code DOCKER_CONFIG/config.json}, which it sends as {@code X-Registry-Auth}. So that only
 * that header can make the pull work, the in-JVM engine's own auth file
 * ({@code REGISTRY_AUTH_FILE}, which Berth reads before {@code config.json}) holds a wrong
 * password. Each case runs in a JVM of its own, since both tools read their environment.
 * Berth only.
 */
class PrivateRegistryTest {
  static TestRegistry basic;
  static String image;

  static {
    Engines.setUp();
  }

  @BeforeAll
  static void privateImage() {
    basic = TestRegistry.shared(TestRegistry.Variant.BASIC);
    image = basic.host() + "/private/tc-busybox:latest";
    TestImages.push("busybox", image, basic.skopeoDestArgs());
  }

  @Test
  void pull_withTheLoginInDockerConfig_sendsItAndSucceeds() throws Exception {
    Child.Result r = Child.run(basic.password());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("PULLED " + image);
  }

  @Test
  void pull_withoutALogin_failsWithTheEnginesWrongPassword() throws Exception {
    Child.Result r = Child.run(null);
    assertThat(r.exit()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("refused user " + basic.username());
  }

  /** A JVM that pulls {@code image} through Testcontainers on an in-JVM Berth. */
  public static final class Child {
    record Result(int exit, String output) {}

    /** @param password the login in Testcontainers' config.json, or null for none */
    static Result run(String password) throws Exception {
      Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "berth-private-");
      try {
        Files.writeString(dir.resolve("engine-auth.json"), authFile("wrong-password-12"));
        Path dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
        if (password != null) {
          Files.writeString(dockerConfig.resolve("config.json"), authFile(password));
        }
        ProcessBuilder pb = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dberth.home=" + dir.resolve("home"),
            "-Dberth.registryMirrors=" + Engines.registryHost(),
            "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
            "-cp", System.getProperty("java.class.path"), Child.class.getName(), image)
            .redirectErrorStream(true);
        pb.environment().put("REGISTRY_AUTH_FILE", dir.resolve("engine-auth.json").toString());
        pb.environment().put("DOCKER_CONFIG", dockerConfig.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("the pulling JVM did not finish: " + output);
        }
        return new Result(p.exitValue(), output);
      } finally {
        new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).start().waitFor();
      }
    }

    private static String authFile(String password) {
      String auth = Base64.getEncoder().encodeToString((basic.username() + ":" + password)
          .getBytes(StandardCharsets.UTF_8));
      return "{\"auths\":{\"" + basic.host() + "\":{\"auth\":\"" + auth + "\"}}}";
    }

    public static void main(String[] args) {
      // not through the test classes: their static setUp would make a registry here too
      String pulled = new RemoteDockerImage(DockerImageName.parse(args[0])).get();
      System.out.println("PULLED " + pulled);
      System.exit(0);
    }
  }
}
