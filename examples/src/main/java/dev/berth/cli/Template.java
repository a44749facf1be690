package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's {@code --format}: Go-template-like {@code {{.Field}}} (or {@code {{.A.B}}})
 * placeholders, {@code \t} and {@code \n} escapes, and a {@code table} prefix that adds a header
 * row and aligns the tab-separated cells in columns.
 */
final class Template {
  private static final Pattern FIELD = Pattern.compile("\\{\\{\\s*(\\.[A-Za-z0-9_.]*)\\s*}}");
  private static final Pattern ANY_ACTION = Pattern.compile("\\{\\{.*?}}");

  private final String text;
  private final boolean table;

  private Template(String text, boolean table) {
    this.text = text;
    this.table = table;
  }

  /**
   * @throws CliException for actions other than {@code {{.Field}}} (functions, pipelines)
   */
  static Template parse(String format) {
    boolean table = format.startsWith("table");
    String body = (table ? format.substring("table".length()).strip() : format)
        .replace("\\t", "\t").replace("\\n", "\n");
    Matcher m = ANY_ACTION.matcher(body);
    while (m.find()) {
      if (!FIELD.matcher(m.group()).matches()) {
        throw new CliException(1, "template: unsupported action " + m.group()
            + ": Berth's --format knows only {{.Field}} placeholders");
      }
    }
    return new Template(body, table);
  }

  /**
   * Checks every placeholder up front, so a misspelt field fails even when there are no rows.
   *
   * @param check throws for an unknown field
   * @return this template
   */
  Template validate(java.util.function.Consumer<String> check) {
    Matcher m = FIELD.matcher(text);
    while (m.find()) {
      check.accept(m.group(1));
    }
    return this;
  }

  /**
   * @param rows one field resolver per row: {@code .ID} → its text
   * @param header a field's column title, for the {@code table} form
   * @return the rendered text, one line per row
   */
  String render(List<UnaryOperator<String>> rows, UnaryOperator<String> header) {
    if (!table) {
      StringBuilder sb = new StringBuilder();
      rows.forEach(r -> sb.append(apply(r)).append('\n'));
      return sb.toString();
    }
    List<List<String>> cells = new ArrayList<>();
    cells.add(List.of(apply(header).split("\t", -1)));
    rows.forEach(r -> cells.add(List.of(apply(r).split("\t", -1))));
    return Table.render(cells);
  }

  private String apply(UnaryOperator<String> fields) {
    Matcher m = FIELD.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(fields.apply(m.group(1))));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
