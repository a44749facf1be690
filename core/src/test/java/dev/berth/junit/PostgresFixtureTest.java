package dev.berth.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.ExecResult;
import dev.berth.RunOptions;
import dev.berth.RunOptionsBuilder;
import dev.berth.testsupport.FixtureEngines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The postgres test image as a fixture, used with the real PostgreSQL JDBC driver, and the image
 * itself behaving as the official {@code postgres} image where clients rely on it: the shared
 * fixture is defined as Testcontainers' {@code PostgreSQLContainer} runs it (command
 * {@code postgres -c fsync=off}, ready at the second "ready to accept connections").
 */
@EnabledIf(value = "dev.berth.testsupport.FixtureEngines#runsContainers",
    disabledReason = FixtureEngines.NOT_HERE)
class PostgresFixtureTest {
  @FixtureEngine static final Berth ENGINE = FixtureEngines.with("postgres");

  /** Logged by the temporary server of a first start, then by the server itself. */
  static final String READY = "database system is ready to accept connections";
  static final String PGDATA = "/var/lib/postgresql/data";

  static final Fixture POSTGRES_DEFINITION = Fixture.builder("postgres")
      .command("postgres", "-c", "fsync=off")
      .env("POSTGRES_PASSWORD", "secret")
      .env("POSTGRES_USER", "app")
      .env("POSTGRES_DB", "shop")
      .publish(5432)
      .waitingFor(Wait.forLogMessage(READY, 2))
      .build();

  @BerthFixture static final Fixture POSTGRES = POSTGRES_DEFINITION;

  /** The kind of helper a postgres fixture's users write; not part of the fixture API. */
  static String jdbcUrl(RunningFixture pg, String db) {
    return "jdbc:postgresql://" + pg.host() + ":" + pg.hostPort(5432) + "/" + db;
  }

  @Test
  void jdbc_createTableInsertAndReadBack(RunningFixture pg) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(pg, "shop"), "app", "secret");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE fruit (name text PRIMARY KEY, price int)");
      s.execute("INSERT INTO fruit VALUES ('apple', 3), ('pear', 5)");
      try (ResultSet r = s.executeQuery("SELECT name, price FROM fruit ORDER BY price DESC")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("pear");
        assertThat(r.getInt(2)).isEqualTo(5);
      }
    }
  }

  @Test
  void jdbc_wrongPassword_isRefusedByTheServer(RunningFixture pg) {
    assertThatThrownBy(() -> DriverManager.getConnection(jdbcUrl(pg, "shop"), "app", "wrong"))
        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
  }

  @Test
  void exec_psqlInTheContainer_seesTheDatabase(RunningFixture pg) {
    assertThat(pg.exec("psql", "-U", "app", "-d", "shop", "-tAc", "SELECT current_database()")
        .stdout().strip()).isEqualTo("shop");
  }

  @Test
  void start_withoutPassword_failsWithTheImagesAdviceInTheMessage() {
    Fixture noPassword = Fixture.builder("postgres").publish(5432)
        .startupTimeout(Duration.ofSeconds(30)).build();
    assertThatThrownBy(() -> noPassword.start(ENGINE))
        .isInstanceOf(FixtureStartException.class)
        .hasMessageContaining("exited with code 1")
        .hasMessageContaining("POSTGRES_PASSWORD is not set")
        .hasMessageContaining("POSTGRES_HOST_AUTH_METHOD=trust");
  }

  @Test
  void jdbc_userPasswordAndDatabase_areThoseOfThePostgresVariables(RunningFixture pg)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(pg, "shop"), "app", "secret");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT current_user, current_database()")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("app");
      assertThat(r.getString(2)).isEqualTo("shop");
    }
  }

  @Test
  void jdbc_commandPostgresWithASetting_hasTheSettingInEffect(RunningFixture pg)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(pg, "shop"), "app", "secret");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW fsync")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("off");
    }
  }

  @Test
  void firstStart_logsTheReadyLineTwice_temporaryServerThenServer(RunningFixture pg) {
    List<String> lines = pg.logs().lines().toList();
    int complete = lines.indexOf("PostgreSQL init process complete; ready for start up.");
    assertThat(lines).filteredOn(l -> l.contains(READY)).hasSize(2);
    assertThat(complete).as("init complete line in %s", lines).isPositive();
    assertThat(lines.subList(0, complete)).filteredOn(l -> l.contains(READY)).hasSize(1);
  }

  @Test
  void server_runsAsThePostgresUser(RunningFixture pg) {
    ExecResult owner = pg.exec("sh", "-c",
        "stat -c %U /proc/$(head -n 1 " + PGDATA + "/postmaster.pid)");
    assertThat(owner.stdout().strip()).as(owner.stderr()).isEqualTo("postgres");
  }

  @Test
  void command_flagsOnly_arePassedToPostgres() throws Exception {
    try (Container c = runPostgres(dataOnTmpfs().command("-c", "max_connections=50"))) {
      awaitLogged(c, READY, 2);
      assertThat(c.exec("psql", "-U", "postgres", "-tAc", "SHOW max_connections").stdout().strip())
          .isEqualTo("50");
    }
  }

  @Test
  void command_otherThanPostgres_runsAsIsWithoutInitialising() throws Exception {
    try (Container c = ENGINE.run("postgres", dataOnTmpfs().removeWithJvm(true)
        .command("sh", "-c", "echo hi").build())) {
      String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(c.waitFor()).isZero();
      assertThat(out).isEqualTo("hi\n");
    }
  }

  @Test
  void initdbScripts_sqlSqlGzAndShell_runInPostgresDbOnTheFirstStart(@TempDir Path scripts)
      throws Exception {
    Files.writeString(scripts.resolve("01-fruit.sql"),
        "CREATE TABLE fruit (name text);\nINSERT INTO fruit VALUES ('apple');\n");
    try (GZIPOutputStream gz =
        new GZIPOutputStream(Files.newOutputStream(scripts.resolve("02-veg.sql.gz")))) {
      gz.write("CREATE TABLE veg (name text);\n".getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(scripts.resolve("03-nut.sh"), // sourced: psql is the entrypoint's
        "\"${psql[@]}\" -c 'CREATE TABLE nut (name text)'\n");
    readableByAll(scripts); // the scripts are read by the postgres user
    try (Container c = runPostgres(dataOnTmpfs().env("POSTGRES_USER", "app")
        .env("POSTGRES_DB", "shop").bind(scripts, "/docker-entrypoint-initdb.d", true))) {
      awaitLogged(c, READY, 2);
      ExecResult tables = c.exec("psql", "-U", "app", "-d", "shop", "-tAc",
          "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables"
              + " WHERE schemaname = 'public'");
      assertThat(tables.stdout().strip()).as(tables.stderr()).isEqualTo("fruit,nut,veg");
      assertThat(c.exec("psql", "-U", "app", "-d", "shop", "-tAc", "SELECT name FROM fruit")
          .stdout().strip()).isEqualTo("apple");
    }
  }

  @Test
  void restart_onTheSameDataDir_logsTheReadyLineOnceAndKeepsTheData(@TempDir Path tmp)
      throws Exception {
    // a bind, not a named volume: rootless, the engine cannot yet list (to see whether it is
    // empty) or delete a volume whose root the postgres user (a subordinate id) made 0700
    Path data = Files.createDirectory(tmp.resolve("data"));
    RunOptionsBuilder onData = RunOptions.builder().bind(data, PGDATA, false);
    try {
      try (Container first = runPostgres(onData)) {
        awaitLogged(first, READY, 2);
        assertThat(first.exec("psql", "-U", "postgres", "-c", "CREATE TABLE kept (id int)")
            .exitCode()).isZero();
        first.stop(Duration.ofSeconds(30));
        assertThat(first.exitValue()).as("exit code after SIGTERM").isZero();
      }
      try (Container second = runPostgres(onData)) {
        awaitLogged(second, READY, 1);
        assertThat(second.logs()).contains("Skipping initialization")
            .doesNotContain("init process complete");
        assertThat(readyLines(second)).isEqualTo(1);
        assertThat(second.exec("psql", "-U", "postgres", "-tAc", "SELECT count(*) FROM kept")
            .stdout().strip()).isEqualTo("0");
      }
    } finally {
      // rootless, the container's root is this user: handed back, @TempDir can delete it
      try (Container chown = ENGINE.run("postgres", RunOptions.builder().bind(data, PGDATA, false)
          .removeWithJvm(true).command("chown", "-R", "0:0", PGDATA).build())) {
        assertThat(chown.waitFor()).as(chown.logs()).isZero();
      }
    }
  }

  @Test
  void sigint_theImagesStopSignal_shutsDownWithExitCodeZero() throws Exception {
    try (Container c = runPostgres(dataOnTmpfs())) {
      awaitLogged(c, READY, 2);
      c.kill("SIGINT");
      assertThat(c.waitFor(Duration.ofSeconds(30))).isTrue();
      assertThat(c.exitValue()).isZero();
      assertThat(c.logs())
          .contains("received fast shutdown request", "database system is shut down");
    }
  }

  /**
   * Options with the data dir on a tmpfs: unlike the anonymous volume of the image's VOLUME, it
   * leaves nothing behind.
   */
  private static RunOptionsBuilder dataOnTmpfs() {
    return RunOptions.builder().tmpfs(PGDATA, 0, 0700);
  }

  /** The image run straight on the engine, for what fixtures do not offer (mounts, signals). */
  private static Container runPostgres(RunOptionsBuilder options) {
    return ENGINE.run("postgres", options.env("POSTGRES_PASSWORD", "secret").detach(true)
        .removeWithJvm(true).build());
  }

  private static long readyLines(Container c) {
    return c.logs().lines().filter(l -> l.contains(READY)).count();
  }

  /** Waits until {@code c} has logged a line containing {@code text} {@code times} times. */
  private static void awaitLogged(Container c, String text, int times) throws InterruptedException {
    long deadline = System.nanoTime() + Fixture.DEFAULT_STARTUP_TIMEOUT.toNanos();
    while (c.logs().lines().filter(l -> l.contains(text)).count() < times) {
      if (!c.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("'" + text + "' not logged " + times + " times by " + c.name()
            + (c.isAlive() ? " in " + Fixture.DEFAULT_STARTUP_TIMEOUT : ", which exited")
            + "; its log:\n" + c.logs());
      }
      Thread.sleep(100);
    }
  }

  private static void readableByAll(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
  }
}
