package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What happened through this server, as Docker's {@code /events} reports it: container and
 * image actions with their time, kept (the last few thousand) for {@code since} and streamed
 * to listeners as they happen.
 */
final class Events {
  private static final int KEPT = 4096;

  /** One event. */
  record Event(String type, String action, String id, Map<String, String> attributes, Instant time) {
    ObjectNode json() {
      ObjectNode o = Json.object();
      o.put("Type", type);
      o.put("Action", action);
      o.put("status", action);
      o.put("id", id);
      if (attributes.containsKey("image")) {
        o.put("from", attributes.get("image"));
      }
      o.set("Actor", Json.object().put("ID", id).set("Attributes", Json.object(attributes)));
      o.put("scope", "local");
      o.put("time", time.getEpochSecond());
      o.put("timeNano", time.getEpochSecond() * 1_000_000_000L + time.getNano());
      return o;
    }
  }

  private final ArrayDeque<Event> kept = new ArrayDeque<>();
  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

  void container(String action, String id, String name, String image, Map<String, String> more) {
    Map<String, String> attributes = new java.util.TreeMap<>(more);
    attributes.put("name", name);
    if (image != null) {
      attributes.put("image", image);
    }
    publish(new Event("container", action, id, attributes, Instant.now()));
  }

  void image(String action, String name) {
    publish(new Event("image", action, name, Map.of("name", name), Instant.now()));
  }

  void network(String action, String id, String name) {
    network(action, id, name, Map.of());
  }

  /** @param more Actor attributes besides name and type, like {@code container} for connect */
  void network(String action, String id, String name, Map<String, String> more) {
    Map<String, String> attributes = new java.util.TreeMap<>(more);
    attributes.put("name", name);
    attributes.put("type", "bridge");
    publish(new Event("network", action, id, attributes, Instant.now()));
  }

  void volume(String action, String name) {
    publish(new Event("volume", action, name, Map.of(), Instant.now()));
  }

  private void publish(Event e) {
    synchronized (kept) {
      kept.add(e);
      if (kept.size() > KEPT) {
        kept.removeFirst();
      }
    }
    listeners.forEach(l -> l.accept(e));
  }

  /**
   * Streams events to {@code out}: the kept ones since {@code since}, then live ones until
   * {@code until} (or until the client goes when it is null).
   */
  void stream(Exchange ex, OutputStream out, Instant since, Instant until,
      java.util.function.Predicate<Event> filter) throws IOException, InterruptedException {
    java.util.concurrent.LinkedBlockingQueue<Event> live = new java.util.concurrent.LinkedBlockingQueue<>();
    Consumer<Event> listener = live::add;
    List<Event> past;
    synchronized (kept) {
      listeners.add(listener);
      past = new ArrayList<>(kept);
    }
    try {
      if (since != null) {
        for (Event e : past) {
          if (!e.time().isBefore(since) && (until == null || !e.time().isAfter(until))
              && filter.test(e)) {
            out.write(Json.line(e.json()));
          }
        }
      }
      if (until != null && !until.isAfter(Instant.now())) {
        return;
      }
      while (!ex.clientGone()) {
        long waitMs = until == null ? 500 : Math.min(500, Math.max(1,
            until.toEpochMilli() - System.currentTimeMillis()));
        Event e = live.poll(waitMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (e != null && filter.test(e)) {
          out.write(Json.line(e.json()));
        }
        if (until != null && !Instant.now().isBefore(until)) {
          return;
        }
      }
    } finally {
      listeners.remove(listener);
    }
  }
}
