package dev.berth.internal.remote;

import dev.berth.BerthException;
import dev.berth.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * This JVM's session held open on Berth's API server ({@code POST /berth/sessions/{id}}, whose
 * answer never ends): when the JVM is gone, even killed with SIGKILL, the server sees the
 * connection close and, after a grace period, removes the containers made with
 * {@code removeWithJvm} (labelled {@value RemoteEngine#SESSION} and {@value #REMOVE_LABEL}).
 * Asked for when the first such container is made; an engine that does not know the route
 * (Docker, podman: 404) leaves them to {@link RemoteReaper} and the shutdown hook.
 */
final class SessionHold {
  /** The label marking a container to remove when its session ends. */
  static final String REMOVE_LABEL = "dev.berth.removeWithJvm";

  private final DockerHttp http;
  private final String session;
  /** Null until asked; then whether the engine holds the session. */
  private Boolean held;

  SessionHold(DockerHttp http, String session) {
    this.http = http;
    this.session = session;
  }

  /**
   * Holds the session unless it is held, or the engine said it cannot.
   *
   * @return true when the engine holds it (then it removes them; no reaper is needed)
   */
  synchronized boolean ensure() {
    if (held != null) {
      return held;
    }
    DockerHttp.Response r;
    try {
      r = http.send("POST", "/berth/sessions/" + session, Map.of(), null);
    } catch (NotFoundException e) {
      held = false; // not Berth's API server: the reaper and the shutdown hook do it
      return false;
    } catch (BerthException e) {
      System.getLogger("dev.berth").log(System.Logger.Level.WARNING, "cannot hold this JVM's"
          + " session on " + http.host().url() + " (" + e.getMessage() + "): containers made"
          + " with removeWithJvm are removed by the reaper and a shutdown hook");
      held = false;
      return false;
    }
    held = true;
    Thread t = new Thread(() -> drain(r), "berth-session-hold");
    t.setDaemon(true);
    t.start();
    return true;
  }

  /** Reads the never-ending answer; when the engine ends it, the next container asks again. */
  private void drain(DockerHttp.Response r) {
    try (r; InputStream in = r.body()) {
      byte[] buf = new byte[256];
      while (in.read(buf) >= 0) {
        // the server's greeting; then nothing until one side goes
      }
    } catch (IOException e) {
      // the engine went away
    }
    synchronized (this) {
      held = null;
    }
  }
}
