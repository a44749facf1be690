/**
 * Containers as JUnit 5 test fixtures, with nothing to install: no Docker daemon, no helper
 * container. The Testcontainers way of writing tests, with a definition and a running thing as
 * different types.
 *
 * <pre>{@code
 * class UserRepositoryTest {
 *   @BerthFixture                                   // static: one container for the class
 *   static final Fixture POSTGRES = Fixture.builder("postgres")
 *       .env("POSTGRES_PASSWORD", "secret")
 *       .publish(5432)
 *       .waitingFor(Wait.allOf(   // the official image logs "ready" once for its set-up server too
 *           Wait.forLogMessage("database system is ready to accept connections", 1),
 *           Wait.forListeningPort(5432)))
 *       .build();
 *
 *   @Test
 *   void savesAUser(RunningFixture postgres) throws SQLException {
 *     String url = "jdbc:postgresql://" + postgres.host() + ":" + postgres.hostPort(5432) + "/postgres";
 *     try (Connection c = DriverManager.getConnection(url, "postgres", "secret")) { ... }
 *   }
 * }
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * <ul>
 *   <li>{@link dev.berth.junit.Fixture} is the definition: an immutable value (image, command,
 *       env, published ports, network and aliases, wait strategy, startup timeout, reuse) made
 *       by a builder, with
 *       {@code toBuilder()} for variants, {@code equals} by value, and nothing that depends on a
 *       container existing. It can live in a {@code static final} constant shared by many
 *       classes.
 *   <li>{@link dev.berth.junit.RunningFixture} is the started thing, returned only once the
 *       container runs and its {@link dev.berth.junit.Wait} holds. So {@code hostPort},
 *       {@code logs} and {@code exec} have no "before start" state to reject: there is no
 *       object to call them on before start (Testcontainers' {@code GenericContainer} is both,
 *       so {@code getMappedPort} throws before start).
 *   <li>{@link dev.berth.junit.BerthFixture} on a {@code Fixture} field enables the
 *       {@link dev.berth.junit.BerthExtension}: static fields start before the class's tests and
 *       are removed after them, instance fields around each test, several at once in parallel;
 *       {@code shared = true} keeps one container for the whole run (the JUnit root store's
 *       lifetime), for every class that declares an equal fixture. Tests get the started
 *       fixture as a parameter or a {@link dev.berth.junit.Started} field.
 *   <li>{@link dev.berth.junit.Wait} strategies are values too: a log line (regex, n-th time),
 *       a TCP port listening inside the container, an HTTP status, a command succeeding, and
 *       {@code allOf}/{@code anyOf}, each with its own timeout.
 *   <li>Cleanup survives a crash without a helper container (Testcontainers' Ryuk): each
 *       fixture container is started with {@link dev.berth.RunOptionsBuilder#removeWithJvm},
 *       so its monitor process holds a pidfd of the test JVM and kills and removes the
 *       container when that JVM ends, even by SIGKILL. A {@code reuse(true)} fixture is the
 *       exception: it outlives the JVM and a later run with an equal definition (same
 *       {@link dev.berth.junit.Fixture#definitionHash()}) uses the running container again.
 *   <li>When a fixture fails to start or its wait times out, a
 *       {@link dev.berth.junit.FixtureStartException} says what was awaited, the container's
 *       exit status and its last log lines, and the container is removed.
 * </ul>
 */
package dev.berth.junit;
