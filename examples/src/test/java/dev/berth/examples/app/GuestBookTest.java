package dev.berth.examples.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.Berth;
import dev.berth.junit.BerthFixture;
import dev.berth.junit.Fixture;
import dev.berth.junit.FixtureEngine;
import dev.berth.junit.RunningFixture;
import dev.berth.junit.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The guest book against a real PostgreSQL, started by Berth for this class: no Docker daemon,
 * nothing to install. Copy this into your project (and drop the {@code @FixtureEngine} line:
 * without it, fixtures use the default engine and pull {@code postgres} from Docker Hub).
 */
@EnabledIf(value = "dev.berth.examples.app.ExampleEngine#runsContainers",
    disabledReason = "needs root, or a user with a subordinate id range in /etc/subuid (postgres's"
        + " entrypoint switches to its own user)")
class GuestBookTest {
  @FixtureEngine static final Berth ENGINE = ExampleEngine.withTestImages();

  @BerthFixture
  static final Fixture POSTGRES = Fixture.builder("postgres")
      .env("POSTGRES_PASSWORD", "secret")
      .env("POSTGRES_DB", "guests")
      .publish(5432)
      .waitingFor(Wait.allOf(
          Wait.forLogMessage("database system is ready to accept connections", 1),
          Wait.forListeningPort(5432)))
      .build();

  private static GuestBook guestBook(RunningFixture postgres) throws Exception {
    String url = "jdbc:postgresql://" + postgres.host() + ":" + postgres.hostPort(5432) + "/guests";
    GuestBook book = new GuestBook(url, "postgres", "secret");
    book.migrate();
    return book;
  }

  @Test
  void sign_thenEntries_readsTheEntryBack(RunningFixture postgres) throws Exception {
    GuestBook book = guestBook(postgres);
    book.sign("ada", "hello from a container");
    assertThat(book.entries()).contains("ada: hello from a container");
  }
}
