package dev.berth.dockerapi.internal;

import dev.berth.Berth;
import java.time.Instant;

/** Every route of the API, wired to one engine. */
public final class Api {
  private Api() {}

  public static Router routes(Berth berth) {
    return routes(berth, false);
  }

  /** @param removeWithJvm whether every container created here dies with this JVM */
  public static Router routes(Berth berth, boolean removeWithJvm) {
    NetworkOwners.sweep(berth); // networks of JVMs that were killed
    Router r = new Router();
    Events events = new Events();
    new SystemRoutes(berth).register(r);
    r.on("GET", "/events", (ex, m) -> events(ex, events));
    // the transfer routes first: /images/get must not be taken for the image "get"
    new ImageTransferRoutes(berth, events).register(r);
    new ImageRoutes(berth, events).register(r);
    ContainerRoutes containers = new ContainerRoutes(berth, events, removeWithJvm);
    containers.register(r);
    new ExecRoutes(containers).register(r);
    new NetworkRoutes(berth, events, containers).register(r);
    new ArchiveRoutes(containers).register(r);
    new StatsRoutes(containers).register(r);
    new VolumeRoutes(berth, events).register(r);
    new SessionRoutes(berth).register(r);
    return r;
  }

  private static void events(Exchange ex, Events events) throws Exception {
    Instant since = ContainerStreams.time(ex.query("since"));
    Instant until = ContainerStreams.time(ex.query("until"));
    Filters filters = Filters.parse(ex.query("filters"));
    var out = ex.stream(200, "application/json");
    events.stream(ex, out, since, until, e -> (!filters.has("type")
        || filters.get("type").contains(e.type()))
        && (!filters.has("event") || filters.get("event").contains(e.action()))
        && (!filters.has("container") || (e.type().equals("container")
            && (filters.get("container").contains(e.attributes().get("name"))
                || filters.get("container").stream().anyMatch(e.id()::startsWith))))
        && (!filters.has("image") || filters.get("image").contains(e.attributes().get("image"))
            || filters.get("image").contains(e.id()))
        && filters.labelsMatch(e.attributes()));
    out.close();
  }
}
