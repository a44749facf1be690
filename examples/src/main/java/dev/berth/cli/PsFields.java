package dev.berth.cli;

import dev.berth.ContainerInfo;
import dev.berth.PortMapping;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The fields {@code ps --format} knows, with Docker's names and column titles. */
final class PsFields {
  private static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z 'UTC'").withZone(ZoneOffset.UTC);

  private record Field(String title, Function<ContainerInfo, String> value) {}

  private static final Map<String, Field> FIELDS = new TreeMap<>(Map.of(
      ".ID", new Field("CONTAINER ID", ContainerInfo::shortId),
      ".Image", new Field("IMAGE", ContainerInfo::image),
      ".Command", new Field("COMMAND", c -> "\"" + String.join(" ", c.command()) + "\""),
      ".CreatedAt", new Field("CREATED AT", c -> CREATED_AT.format(c.created())),
      ".Status", new Field("STATUS", c -> c.status(Instant.now())),
      ".State", new Field("STATE", c -> c.state().name().toLowerCase(java.util.Locale.ROOT)),
      ".Ports", new Field("PORTS", c -> c.ports().stream().map(PortMapping::toString)
          .collect(Collectors.joining(", "))),
      ".Names", new Field("NAMES", ContainerInfo::name),
      ".Labels", new Field("LABELS", c -> new TreeMap<>(c.labels()).entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")))));

  private PsFields() {}

  /** @throws CliException naming the fields there are, for an unknown one */
  static String value(ContainerInfo c, String field) {
    return field(field).value().apply(c);
  }

  static String title(String field) {
    return field(field).title();
  }

  private static Field field(String name) {
    Field f = FIELDS.get(name);
    if (f == null) {
      throw new CliException(1, "template: can't evaluate field " + name.substring(1)
          + " of a container: use one of " + String.join(", ", FIELDS.keySet()));
    }
    return f;
  }
}
