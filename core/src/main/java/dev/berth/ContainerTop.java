package dev.berth;

import java.util.List;

/**
 * A container's processes as {@code docker top} shows them: the titles
 * {@code UID PID PPID C STIME TTY TIME CMD} and a row of as many values per process, with host
 * pids, ordered by pid.
 *
 * <pre>{@code
 * ContainerTop top = container.top();
 * top.processes().forEach(row -> System.out.println(row.get(1) + " " + row.get(7)));
 * }</pre>
 *
 * @param titles the column titles
 * @param processes one row per process, a value per title
 */
public record ContainerTop(List<String> titles, List<List<String>> processes) {

  /**
   * @param titles the column titles
   * @param processes one row a process, one value a title
   * @throws IllegalArgumentException when a row has not one value per title
   */
  public ContainerTop {
    titles = List.copyOf(titles);
    processes = processes.stream().map(List::copyOf).toList();
    for (List<String> row : processes) {
      if (row.size() != titles.size()) {
        throw new IllegalArgumentException("row " + row + " has " + row.size() + " values for "
            + titles.size() + " titles " + titles);
      }
    }
  }

  /** @return the table as {@code docker top} prints it: columns padded, one line per process */
  @Override
  public String toString() {
    int[] widths = new int[titles.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = titles.get(i).length();
      for (List<String> row : processes) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, titles, widths);
    processes.forEach(row -> line(out, row, widths));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> values, int[] widths) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      l.append(i == values.size() - 1 ? values.get(i)
          : String.format("%-" + widths[i] + "s   ", values.get(i)));
    }
    out.append(l.toString().stripTrailing()).append('\n');
  }
}
