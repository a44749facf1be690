package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/**
 * BerthCli registers one verb when the command line starts with it, every verb otherwise, from
 * one table: the table must agree with the verbs' own names and keep {@code --help} whole.
 */
class BerthCliVerbsTest {
  @Test
  void verbs_areNamedAsTheirCommandAnnotationSays() {
    BerthCli.VERBS.forEach((name, verb) ->
        assertThat(verb.getAnnotation(Command.class).name()).as(verb.getName()).isEqualTo(name));
  }

  @Test
  void help_listsEveryVerb_inTheTablesOrder() {
    String help = stdoutOf("--help");
    List<String> listed = help.lines().filter(l -> l.matches("  [a-z]+ +\\S.*"))
        .map(l -> l.strip().split(" +")[0]).toList();
    assertThat(listed).containsExactlyElementsOf(BerthCli.VERBS.keySet());
  }

  @Test
  void verbHelp_withOnlyThatVerbRegistered_isItsUsage() {
    assertThat(stdoutOf("ps", "--help")).startsWith("Usage: berth ps");
  }

  @Test
  void version_withNoVerbRegistered_printsTheVersion() {
    assertThat(stdoutOf("--version")).matches("Berth version \\S+\n");
  }

  private static String stdoutOf(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertThat(BerthCli.execute(args)).isZero();
    } finally {
      System.setOut(saved);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
