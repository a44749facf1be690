package dev.berth.bench;

import dev.berth.Berth;
import dev.berth.junit.Fixture;
import dev.berth.junit.RunningFixture;
import dev.berth.junit.Wait;
import dev.berth.testsupport.FixtureEngines;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Time from "start fixture" to "JDBC connection open" for the postgres fixture, beside the time
 * PostgreSQL alone needs for the same: the host's Debian postgresql, initdb with the flags the
 * image's entrypoint uses, then {@code pg_ctl start}, in the same run. Needs root (containers;
 * initdb runs as the postgres user).
 *
 * <pre>scripts/bench-fixtures [runs]</pre>
 */
public final class FixtureBench {
  private static final String PASSWORD = "secret";
  private static final long SETTLE_MS = 500;

  private FixtureBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Berth engine = FixtureEngines.with("postgres");
    Fixture postgres = Fixture.builder("postgres").env("POSTGRES_PASSWORD", PASSWORD)
        .publish(5432).waitingFor(Wait.forListeningPort(5432)).build();
    Path bin = Path.of(System.getProperty("pg.bin", hostPgBin()));
    fixtureRun(engine, postgres); // warm-up: pull, page cache, class loading
    hostRun(bin);
    double[] berth = new double[runs];
    double[] alone = new double[runs];
    for (int i = 0; i < runs; i++) { // interleaved, so that machine load hits both alike
      settle();
      berth[i] = fixtureRun(engine, postgres);
      settle();
      alone[i] = hostRun(bin);
    }
    System.out.printf("postgres, start to JDBC connection open, %d runs each, interleaved:%n"
            + "  median: Berth fixture %.0f ms, postgres alone %.0f ms, Berth adds %.0f ms%n"
            + "  best:   Berth fixture %.0f ms, postgres alone %.0f ms, Berth adds %.0f ms%n",
        runs, median(berth), median(alone), median(berth) - median(alone),
        min(berth), min(alone), min(berth) - min(alone));
    System.out.println("  fixture runs (ms): " + list(berth));
    System.out.println("  alone runs (ms):   " + list(alone));
  }

  private static double fixtureRun(Berth engine, Fixture postgres) throws Exception {
    long t0 = System.nanoTime();
    try (RunningFixture pg = postgres.start(engine);
        Connection c = connect(pg.host(), pg.hostPort(5432))) {
      return (System.nanoTime() - t0) / 1e6;
    }
  }

  /** initdb as the image's entrypoint does it, pg_ctl start, connect; then stop and delete. */
  private static double hostRun(Path bin) throws Exception {
    Path data = Files.createTempDirectory("berth-bench-pg");
    int port = freePort();
    run("chown", "postgres:postgres", data.toString());
    try {
      long t0 = System.nanoTime();
      Path pw = data.resolve("pwfile");
      asPostgres("sh", "-c", "printf '%s\\n' " + PASSWORD + " > " + pw + " && "
          + bin.resolve("initdb") + " -D " + data.resolve("db") + " -U postgres --pwfile=" + pw
          + " -E UTF8 --locale=C.UTF-8 --no-sync --auth-local=trust --auth-host=scram-sha-256"
          + " >/dev/null && echo 'host all all all scram-sha-256' >> " + data.resolve("db/pg_hba.conf"));
      asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.resolve("db").toString(), "-W",
          "-l", data.resolve("log").toString(), "-o",
          "-c listen_addresses=127.0.0.1 -p " + port + " -k " + data, "start");
      try (Connection c = connect("127.0.0.1", port)) {
        return (System.nanoTime() - t0) / 1e6;
      } finally {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.resolve("db").toString(), "-m",
            "immediate", "stop");
      }
    } finally {
      run("rm", "-rf", data.toString());
    }
  }

  /**
   * Lets what the previous run left behind settle (its files deleted, dirty pages written back,
   * processes reaped) before the next start is timed: without it, whichever side runs second
   * paid for the first one's teardown (postgres alone measured up to 2x slower here).
   */
  private static void settle() throws Exception {
    run("sync");
    Thread.sleep(SETTLE_MS);
  }

  /** Retries until the server takes the connection, as a test would. */
  private static Connection connect(String host, int port) throws Exception {
    String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        return DriverManager.getConnection(url, "postgres", PASSWORD);
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(2);
      }
    }
  }

  private static String hostPgBin() throws IOException {
    try (var dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
      return dirs.sorted().reduce((a, b) -> b).orElseThrow().resolve("bin").toString();
    }
  }

  private static void asPostgres(String... command) throws Exception {
    List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=postgres",
        "--regid=postgres", "--init-groups"));
    argv.addAll(List.of(command));
    run(argv.toArray(String[]::new));
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static double median(double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double min(double[] ms) {
    return Arrays.stream(ms).min().orElseThrow();
  }

  private static String list(double[] ms) {
    StringBuilder b = new StringBuilder();
    for (double m : ms) {
      b.append(String.format("%.0f ", m));
    }
    return b.toString().trim();
  }
}
