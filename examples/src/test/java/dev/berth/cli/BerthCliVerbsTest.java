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
 * one table: the table must agree with the verbs' own names and keep {@code --help} whole. The
 * commonest lines ({@code --version}, {@code ps -aq}, {@code images}) skip the parser.
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
  void version_withoutTheParser_printsTheVersion() {
    assertThat(stdoutOf("--version")).matches("Berth version \\S+\n");
  }

  @Test
  void quickCommand_psWithBundledShortFlags_runsPsWithoutTheParser() {
    assertThat(BerthCli.quickCommand("ps", "-aq")).isInstanceOfSatisfying(ContainerCommands.Ps.class,
        ps -> assertThat(ps.all && ps.quiet && ps.format == null).isTrue());
    assertThat(BerthCli.quickCommand("ps", "-q")).isInstanceOfSatisfying(ContainerCommands.Ps.class,
        ps -> assertThat(!ps.all && ps.quiet).isTrue());
    assertThat(BerthCli.quickCommand("images")).isInstanceOf(ImageCommands.ImagesList.class);
  }

  @Test
  void quickCommand_anythingElse_isLeftToPicocli() {
    for (List<String> line : List.<List<String>>of(List.of("ps", "-a", "-a"),
        List.of("ps", "-x"), List.of("ps", "--help"),
        List.of("images", "-a"), List.of("images", "busybox"), List.of("rm", "-f"), List.of())) {
      assertThat(BerthCli.quickCommand(line.toArray(String[]::new))).as(line.toString()).isNull();
    }
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
