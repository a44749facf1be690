package dev.berth.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** Testcontainers' PostgreSQL module, with its default wait strategy, reached by JDBC. */
class PostgresTest {
  static {
    Engines.setUp();
  }

  @Test
  void postgresContainer_answersJdbc() throws Exception {
    try (PostgreSQLContainer pg = new PostgreSQLContainer(DockerImageName.parse("postgres:latest"))
        .withStartupTimeout(GenericContainerTest.TIMEOUT.multipliedBy(2))) {
      pg.start();
      try (Connection conn = DriverManager.getConnection(pg.getJdbcUrl(), pg.getUsername(),
               pg.getPassword());
           Statement st = conn.createStatement()) {
        st.execute("CREATE TABLE t (v text)");
        st.execute("INSERT INTO t VALUES ('on berth')");
        try (ResultSet rs = st.executeQuery("SELECT v FROM t")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("on berth");
        }
      }
    }
  }
}
