package dev.berth.internal.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.BerthException;
import dev.berth.NotFoundException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A container's inspect across podman's passing "no such process" answer. Podman 4.3 answers
 * {@code GET /containers/{id}/json} with a 500 "read /proc/PID/cgroup: no such process" in the
 * milliseconds between a container's process ending and its state being written (seen once in a
 * CI run, while a reaper removed a container); no request makes real podman do that on purpose,
 * so these tests replay its answer, byte for byte as it sent it, from a socket.
 */
class DockerHttpContainerTest {
  private static final String NO_SUCH_PROCESS = "{\"cause\":\"no such process\","
      + "\"message\":\"read /proc/29401/cgroup: no such process\",\"response\":500}";

  @Test
  void inspect_askedAgain_whilePodmanSaysNoSuchProcess() throws Exception {
    try (Engine engine = new Engine(2, 500, NO_SUCH_PROCESS)) {
      assertThat(engine.http().container("0bfd69cc").path("Id").asText()).isEqualTo("0bfd69cc");
      assertThat(engine.paths).hasSize(3).containsOnly("/containers/0bfd69cc/json");
    }
  }

  @Test
  void inspect_thatKeepsFailing_endsWithPodmansMessage_inAboutASecond() throws Exception {
    try (Engine engine = new Engine(Integer.MAX_VALUE, 500, NO_SUCH_PROCESS)) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> engine.http().container("0bfd69cc"))
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("read /proc/29401/cgroup: no such process")
          .hasMessageContaining("GET /containers/0bfd69cc/json");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(engine.paths).hasSize(11);
      assertThat(ms).isBetween(900L, 5_000L);
    }
  }

  @Test
  void otherErrors_areNotAskedAgain() throws Exception {
    try (Engine engine = new Engine(1, 500, "{\"message\":\"database is locked\"}")) {
      assertThatThrownBy(() -> engine.http().container("a")).isInstanceOf(BerthException.class)
          .hasMessageContaining("database is locked");
      assertThat(engine.paths).hasSize(1);
    }
    try (Engine engine = new Engine(1, 404, "{\"message\":\"no such container\"}")) {
      assertThatThrownBy(() -> engine.http().container("a"))
          .isInstanceOf(NotFoundException.class);
      assertThat(engine.paths).hasSize(1);
    }
  }

  /** Answers its first {@code failures} requests with {@code status} and {@code body}. */
  private static final class Engine implements AutoCloseable {
    final List<String> paths = Collections.synchronizedList(new ArrayList<>());
    private final ServerSocket server;
    private final Thread thread;

    Engine(int failures, int status, String body) throws Exception {
      server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
      AtomicInteger served = new AtomicInteger();
      thread = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept()) {
            String path = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.ISO_8859_1)).readLine().split(" ")[1];
            paths.add(path);
            boolean fail = served.getAndIncrement() < failures;
            String id = path.split("/")[2];
            byte[] answer = (fail ? body : "{\"Id\":\"" + id + "\"}")
                .getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 " + (fail ? status + " Error" : "200 OK")
                + "\r\nContent-Type: application/json\r\nContent-Length: " + answer.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(answer);
            out.flush();
          } catch (Exception closed) {
            return;
          }
        }
      }, "scripted-engine");
      thread.setDaemon(true);
      thread.start();
    }

    DockerHttp http() {
      return new DockerHttp(DockerHost.parse("tcp://127.0.0.1:" + server.getLocalPort()));
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(5_000);
    }
  }
}
