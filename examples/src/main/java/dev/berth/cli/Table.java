package dev.berth.cli;

import java.util.List;

/** Docker's tabwriter layout: each column as wide as its widest cell plus three spaces. */
final class Table {
  /** The minimum column width of Docker's tabwriter, which its own listings use. */
  static final int DOCKER_MIN_WIDTH = 10;

  private Table() {}

  static String render(List<List<String>> rows) {
    return render(rows, 0);
  }

  /** @param minWidth the least width of a column, padding included */
  static String render(List<List<String>> rows, int minWidth) {
    int cols = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] width = new int[cols];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i));
        if (i < row.size() - 1) {
          line.append(" ".repeat(Math.max(width[i] + 3, minWidth) - row.get(i).length()));
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }
}
