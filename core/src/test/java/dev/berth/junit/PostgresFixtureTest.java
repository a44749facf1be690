package dev.berth.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Berth;
import dev.berth.testsupport.FixtureEngines;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** The postgres test image as a fixture, used with the real PostgreSQL JDBC driver. */
@EnabledIf(value = "dev.berth.testsupport.FixtureEngines#runsContainers",
    disabledReason = FixtureEngines.NOT_HERE)
class PostgresFixtureTest {
  @FixtureEngine static final Berth ENGINE = FixtureEngines.with("postgres");

  static final Fixture POSTGRES_DEFINITION = Fixture.builder("postgres")
      .env("POSTGRES_PASSWORD", "secret")
      .env("POSTGRES_USER", "app")
      .env("POSTGRES_DB", "shop")
      .publish(5432)
      .waitingFor(Wait.allOf(
          Wait.forLogMessage("database system is ready to accept connections", 1),
          Wait.forListeningPort(5432)))
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
}
