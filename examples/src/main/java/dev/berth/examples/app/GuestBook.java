package dev.berth.examples.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A small app to test against a real database: a guest book kept in PostgreSQL. Its
 * integration test, {@code GuestBookTest}, runs PostgreSQL with Berth's JUnit extension.
 */
public final class GuestBook {
  private final String url;
  private final String user;
  private final String password;

  /**
   * @param url a JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/guests}
   */
  public GuestBook(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Creates the table when it is missing. */
  public void migrate() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS entries (id serial PRIMARY KEY, name text NOT NULL,"
          + " message text NOT NULL)");
    }
  }

  /** Signs the book. */
  public void sign(String name, String message) throws SQLException {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(
            "INSERT INTO entries (name, message) VALUES (?, ?)")) {
      s.setString(1, name);
      s.setString(2, message);
      s.executeUpdate();
    }
  }

  /** @return every entry, oldest first, as {@code name: message} */
  public List<String> entries() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT name, message FROM entries ORDER BY id")) {
      while (r.next()) {
        out.add(r.getString(1) + ": " + r.getString(2));
      }
    }
    return out;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }
}
