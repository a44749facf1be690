package dev.berth.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.Berth;
import dev.berth.testsupport.FixtureEngines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** The redis test image as a per-test fixture, spoken to in RESP over its published port. */
@EnabledIf(value = "dev.berth.testsupport.FixtureEngines#runsContainers",
    disabledReason = FixtureEngines.NOT_HERE)
class RedisFixtureTest {
  @FixtureEngine static final Berth ENGINE = FixtureEngines.with("redis");

  @BerthFixture final Fixture redis = Fixture.builder("redis").publish(6379)
      .waitingFor(Wait.forLogMessage("Ready to accept connections", 1)).build();

  /** Sends one command as a RESP array of bulk strings; returns the first reply line. */
  private static String command(BufferedReader in, OutputStream out, String... args)
      throws IOException {
    StringBuilder req = new StringBuilder("*" + args.length + "\r\n");
    for (String a : args) {
      req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
          .append(a).append("\r\n");
    }
    out.write(req.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    String reply = in.readLine();
    return reply.startsWith("$") && !reply.equals("$-1") ? in.readLine() : reply;
  }

  @Test
  void setThenGet_overThePublishedPort(RunningFixture redis) throws IOException {
    try (Socket s = new Socket(redis.host(), redis.hostPort(6379))) {
      BufferedReader in = new BufferedReader(
          new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      assertThat(command(in, out, "SET", "greeting", "hello berth")).isEqualTo("+OK");
      assertThat(command(in, out, "GET", "greeting")).isEqualTo("hello berth");
    }
  }

  @Test
  void eachTest_getsAFreshRedis(RunningFixture redis) throws IOException {
    try (Socket s = new Socket(redis.host(), redis.hostPort(6379))) {
      BufferedReader in = new BufferedReader(
          new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      assertThat(command(in, s.getOutputStream(), "DBSIZE")).isEqualTo(":0");
    }
  }
}
