package dev.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.Berth;
import dev.berth.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth inspect}: a JSON array with Docker's field names, or {@code -f} templates. */
@Command(name = "inspect", description = "Return low-level information on containers and images")
final class InspectCommand implements Callable<Integer> {
  /** Which kinds of object a name may denote. */
  enum Type {
    container, image
  }

  @Mixin HelpOption help;

  @Option(names = {"-f", "--format"}, description = "Format output using a template, e.g. "
      + "'{{.State.Status}}'")
  String format;

  @Option(names = "--type", description = "Only look for a container or an image")
  Type type;

  @Parameters(arity = "1..*", paramLabel = "NAME|ID")
  List<String> names;

  @Override
  public Integer call() throws JsonProcessingException {
    Template template = format == null ? null : Template.parse(format);
    ArrayNode found = InspectJson.JSON.createArrayNode();
    List<UnaryOperator<String>> rows = new ArrayList<>();
    int code = 0;
    for (String name : names) {
      ObjectNode n = find(Berth.defaultEngine(), name);
      if (n == null) {
        System.err.println("Error: No such object: " + name);
        code = 1;
      } else {
        found.add(n);
        rows.add(field -> text(n.at(field.replace('.', '/'))));
      }
    }
    if (template != null) {
      System.out.print(template.render(rows, f -> f));
    } else {
      System.out.println(json(found));
    }
    return code;
  }

  /**
   * Prints, as {@code docker network|volume inspect}, the JSON of each of {@code names} found in
   * {@code all}, and "Error: No such {@code kind}" for the others.
   *
   * @return 0, or 1 when any name was not found
   */
  static <T> int byName(List<T> all, Function<T, String> nameOf, Function<T, ObjectNode> json,
      List<String> names, String kind) throws JsonProcessingException {
    ArrayNode found = InspectJson.JSON.createArrayNode();
    int code = 0;
    for (String name : names) {
      var match = all.stream().filter(t -> nameOf.apply(t).equals(name)).findFirst();
      if (match.isPresent()) {
        found.add(json.apply(match.get()));
      } else {
        System.err.println("Error: No such " + kind + ": " + name);
        code = 1;
      }
    }
    System.out.println(json(found));
    return code;
  }

  /** @return Docker's json.MarshalIndent look: four spaces, "Key": value, {} and [] */
  static String json(ArrayNode array) throws JsonProcessingException {
    if (array.isEmpty()) {
      return "[]";
    }
    DefaultPrettyPrinter pretty = new DefaultPrettyPrinter(Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
        .withObjectEmptySeparator("").withArrayEmptySeparator(""))
        .withObjectIndenter(new DefaultIndenter("    ", "\n"))
        .withArrayIndenter(new DefaultIndenter("    ", "\n"));
    return InspectJson.JSON.writer(pretty).writeValueAsString(array);
  }

  private ObjectNode find(Berth berth, String name) {
    if (type != Type.image) {
      try {
        return InspectJson.container(berth.container(name).inspect());
      } catch (BerthException notAContainer) {
        // Docker looks for an image next
      }
    }
    if (type != Type.container) {
      try {
        return InspectJson.image(berth.image(name).inspect());
      } catch (BerthException notAnImage) {
        // neither
      }
    }
    return null;
  }

  private static String text(JsonNode n) {
    if (n.isMissingNode()) {
      return "<no value>";
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }
}
