package dev.berth.dockerapi.internal;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.ContainerInfo;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * Berth's own route for clients that cannot clean up after themselves when killed: a remote
 * engine holds {@code POST /berth/sessions/{id}} open for its JVM's life, and when every hold of
 * a session has closed (the client JVM is gone, even killed with SIGKILL) and none came back
 * within a grace period, the containers it labelled {@value #SESSION} = id and
 * {@value #REMOVE_WITH_SESSION} = true are killed and removed, as Testcontainers' Ryuk does for
 * its session. Docker and podman answer 404 to the route; the client then says so.
 */
final class SessionRoutes {
  /** The label naming the client session that made a container. */
  static final String SESSION = "dev.berth.session";
  /** The label marking a container to remove when its session ends. */
  static final String REMOVE_WITH_SESSION = "dev.berth.removeWithJvm";

  private static final long HEARTBEAT_MILLIS = 1_000;

  private final Berth berth;
  private final Map<String, Integer> holds = new HashMap<>();
  private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "berth-docker-api-sessions");
    t.setDaemon(true);
    return t;
  });

  SessionRoutes(Berth berth) {
    this.berth = berth;
  }

  void register(Router r) {
    r.on("POST", "/berth/sessions/([A-Za-z0-9][A-Za-z0-9_.-]{0,127})", this::hold);
  }

  /** Answers 200 and a line, then keeps the exchange open until the client goes. */
  private void hold(Exchange ex, Matcher m) throws Exception {
    String session = m.group(1);
    boolean reap = true;
    synchronized (holds) {
      holds.merge(session, 1, Integer::sum);
    }
    try {
      OutputStream out = ex.stream(200, "text/plain");
      out.write(("holding session " + session + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      // A killed client's end reads as end-of-file, which this server keeps open for clients
      // that half-close (attach): a newline a second finds out, as the write then fails.
      while (!ex.clientGone()) {
        Thread.sleep(HEARTBEAT_MILLIS);
        out.write('\n');
        out.flush();
      }
    } catch (Exchange.ClientGoneException | java.io.IOException gone) {
      // the client went
    } catch (InterruptedException serverClosing) {
      // the server is closing, not the client going: its containers are left alone
      reap = false;
    } finally {
      release(session, reap);
    }
  }

  private void release(String session, boolean reap) {
    synchronized (holds) {
      if (holds.merge(session, -1, Integer::sum) > 0) {
        return;
      }
      holds.remove(session);
    }
    if (!reap) {
      return;
    }
    reaper.schedule(() -> reapIfStillGone(session), grace().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * How long a session may be without a hold before its containers go: time for a client to
   * reconnect (10 s; {@code -Dberth.api.sessionGraceMillis}).
   */
  private static Duration grace() {
    return Duration.ofMillis(Long.getLong("berth.api.sessionGraceMillis", 10_000));
  }

  private void reapIfStillGone(String session) {
    synchronized (holds) {
      if (holds.containsKey(session)) {
        return; // it came back
      }
    }
    for (ContainerInfo c : berth.containers(true)) {
      if (session.equals(c.labels().get(SESSION))
          && "true".equals(c.labels().get(REMOVE_WITH_SESSION))) {
        try {
          berth.container(c.id()).remove(true);
        } catch (BerthException e) {
          System.getLogger("dev.berth.dockerapi").log(System.Logger.Level.WARNING,
              "cannot remove container " + c.name() + " of ended session " + session + ": "
                  + e.getMessage());
        }
      }
    }
  }
}
