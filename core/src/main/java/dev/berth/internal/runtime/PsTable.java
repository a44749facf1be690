package dev.berth.internal.runtime;

import dev.berth.ContainerInfo;
import dev.berth.PortMapping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Renders containers as the {@code docker ps -a} table. */
public final class PsTable {
  private static final List<String> HEADER =
      List.of("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");

  private PsTable() {}

  public static String render(List<ContainerInfo> containers, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (ContainerInfo c : containers) {
      rows.add(List.of(c.shortId(), c.image(),
          "\"" + ellipsis(String.join(" ", c.command()), 20) + "\"",
          DockerText.ago(Duration.between(c.created(), now)), c.status(now),
          c.ports().stream().map(PortMapping::toString).collect(Collectors.joining(", ")),
          c.name()));
    }
    return table(rows);
  }

  /** Docker's tabwriter layout: each column as wide as its widest cell plus three spaces. */
  public static String table(List<List<String>> rows) {
    int cols = rows.get(0).size();
    int[] width = new int[cols];
    for (List<String> row : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        line.append(row.get(i));
        if (i < cols - 1) {
          line.append(" ".repeat(width[i] - row.get(i).length() + 3));
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  /** Docker's Ellipsis: longer strings are cut to {@code max} characters ending in "…". */
  public static String ellipsis(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
