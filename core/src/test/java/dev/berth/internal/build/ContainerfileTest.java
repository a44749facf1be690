package dev.berth.internal.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.BerthException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing Containerfiles: directives, continuations, comments, flags, exec form. */
class ContainerfileTest {
  private static Containerfile parse(String text) {
    return Containerfile.parse(text, "Containerfile");
  }

  private static Containerfile.Instruction only(String text) {
    List<Containerfile.Instruction> all = parse(text).instructions();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void parse_instructions_keepTheirLineNumbersAndUpperCaseKeywords() {
    var in = parse("from busybox\n\nrun echo hi\n").instructions();
    assertThat(in).extracting(Containerfile.Instruction::keyword).containsExactly("FROM", "RUN");
    assertThat(in).extracting(Containerfile.Instruction::line).containsExactly(1, 3);
  }

  @Test
  void parse_lineContinuation_joinsLinesAndReportsTheFirstLine() {
    var in = parse("FROM a\nRUN echo a \\\n  && echo b\n").instructions().get(1);
    assertThat(in.args()).isEqualTo("echo a   && echo b");
    assertThat(in.line()).isEqualTo(2);
  }

  @Test
  void parse_continuationWithTrailingSpacesAfterEscape_stillContinues() {
    assertThat(only("RUN a \\   \n b").args()).isEqualTo("a  b");
  }

  @Test
  void parse_commentsAndBlankLinesInsideAContinuation_areDropped() {
    assertThat(only("RUN a \\\n# note\n\n  b").args()).isEqualTo("a   b");
  }

  @Test
  void parse_commentLines_areDroppedButHashInsideArgumentsStays() {
    assertThat(only("  # comment\nRUN echo # not a comment").args())
        .isEqualTo("echo # not a comment");
  }

  @Test
  void parse_windowsLineEnds_areAccepted() {
    assertThat(parse("FROM a\r\nRUN b\r\n").instructions()).hasSize(2);
  }

  @Test
  void parse_escapeDirective_backtickContinuesLinesAndBackslashIsLiteral() {
    Containerfile f = parse("# escape=`\nFROM a\nRUN dir C:\\ `\n  /b\n");
    assertThat(f.escape()).isEqualTo('`');
    assertThat(f.instructions().get(1).args()).isEqualTo("dir C:\\   /b");
  }

  @Test
  void parse_directives_areCaseInsensitiveAndMayFollowSyntax() {
    assertThat(parse("# syntax=docker/dockerfile:1\n#ESCAPE = `\nFROM a").escape())
        .isEqualTo('`');
  }

  @Test
  void parse_escapeDirectiveAfterAComment_isOnlyAComment() {
    assertThat(parse("# hello\n# escape=`\nFROM a").escape()).isEqualTo('\\');
  }

  @Test
  void parse_escapeDirectiveAfterAnInstruction_isOnlyAComment() {
    assertThat(parse("FROM a\n# escape=`\nRUN b").escape()).isEqualTo('\\');
  }

  @Test
  void parse_invalidEscapeDirective_isRefusedNamingTheLine() {
    assertThatThrownBy(() -> parse("# syntax=x\n# escape=!\nFROM a"))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("Containerfile line 2").hasMessageContaining("must be \\ or `");
  }

  @Test
  void parse_instructionWithoutArguments_isRefusedNamingTheLine() {
    assertThatThrownBy(() -> parse("FROM a\n\nRUN\n"))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("Containerfile line 3").hasMessageContaining("RUN requires");
  }

  @Test
  void parse_flagsOnly_isRefusedAsMissingArguments() {
    assertThatThrownBy(() -> parse("COPY --from=x"))
        .hasMessageContaining("line 1").hasMessageContaining("COPY requires");
  }

  @Test
  void parse_flags_areSeparatedFromTheArguments() {
    var in = only("COPY --from=build --link src/ /dst/");
    assertThat(in.flags()).containsOnlyKeys("from", "link").containsEntry("from", "build");
    assertThat(in.flags().get("link")).isNull();
    assertThat(in.args()).isEqualTo("src/ /dst/");
  }

  @Test
  void text_rebuildsTheInstructionWithItsFlags() {
    assertThat(only("copy --chown=1:2  a b").text()).isEqualTo("COPY --chown=1:2 a b");
  }

  @Test
  void jsonArgs_execForm_givesTheStrings() {
    assertThat(only("CMD [\"echo\", \"a b\", \"\\u0041\"]").jsonArgs())
        .containsExactly("echo", "a b", "A");
  }

  @Test
  void jsonArgs_shellForm_isNull() {
    assertThat(only("CMD echo [a]").jsonArgs()).isNull();
  }

  @Test
  void jsonArgs_malformedJson_isNullSoItRunsAsShellForm() {
    assertThat(only("CMD [echo, a]").jsonArgs()).isNull();
  }

  @Test
  void jsonArgs_nonStringElement_isNull() {
    assertThat(only("CMD [\"sleep\", 1]").jsonArgs()).isNull();
  }

  @Test
  void jsonArgs_textAfterTheArray_isNull() {
    assertThat(only("CMD [\"a\"] b").jsonArgs()).isNull();
  }
}
