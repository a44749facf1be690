package dev.berth.internal.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Docker's word splitting, quoting and variable substitution of instruction arguments. */
class ShellWordsTest {
  private static final Map<String, String> VARS =
      Map.of("V", "val", "EMPTY", "", "SPACED", "a  b", "B", "bee");

  private static List<String> split(String s) {
    return ShellWords.split(s, VARS, '\\');
  }

  @Test
  void split_unquotedWhitespace_separatesWords() {
    assertThat(split("  a \t b  c ")).containsExactly("a", "b", "c");
  }

  @Test
  void split_doubleQuotes_keepWhitespaceAndExpandVariables() {
    assertThat(split("\"x  $V\" y")).containsExactly("x  val", "y");
  }

  @Test
  void split_singleQuotes_keepDollarAndEscapeLiteral() {
    assertThat(split("'$V \\n'")).containsExactly("$V \\n");
  }

  @Test
  void split_emptyQuotes_makeAnEmptyWord() {
    assertThat(split("a \"\" b")).containsExactly("a", "", "b");
  }

  @Test
  void split_escapeOutsideQuotes_takesTheNextCharacterLiterally() {
    assertThat(split("\\$V a\\ b")).containsExactly("$V", "a b");
  }

  @Test
  void split_escapedQuoteAndDollarInDoubleQuotes_areLiteral() {
    assertThat(split("\"say \\\"hi\\\" \\$V\"")).containsExactly("say \"hi\" $V");
  }

  @Test
  void split_backtickEscape_escapesAndLeavesBackslashLiteral() {
    assertThat(ShellWords.split("C:\\dir `$V", VARS, '`')).containsExactly("C:\\dir", "$V");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "$V|val",
      "${V}|val",
      "x${V}y|xvaly",
      "$UNSET|''",
      "${V:-d}|val",
      "${UNSET:-d}|d",
      "${EMPTY:-d}|d",
      "${V-d}|val",
      "${UNSET-d}|d",
      "${EMPTY-d}|''",
      "${V:+alt}|alt",
      "${UNSET:+alt}|''",
      "${EMPTY:+alt}|''",
      "${V+alt}|alt",
      "${EMPTY+alt}|alt",
      "${UNSET+alt}|''",
      "${UNSET:-${B}}|bee",
      "${UNSET:-'$B'}|$B",
      "$|$",
      "a$|a$",
  })
  void expand_substitution_followsDocker(String in, String expected) {
    assertThat(ShellWords.expand(in, VARS, '\\')).isEqualTo(expected);
  }

  @Test
  void split_unquotedVariableWithSpaces_becomesSeveralWords() {
    assertThat(split("$SPACED")).containsExactly("a", "b");
  }

  @Test
  void split_quotedVariableWithSpaces_staysOneWord() {
    assertThat(split("\"$SPACED\"")).containsExactly("a  b");
  }

  @Test
  void split_unquotedEmptyVariable_addsNoWord() {
    assertThat(split("a $EMPTY b")).containsExactly("a", "b");
  }

  @Test
  void expand_keepsWhitespaceAsWritten() {
    assertThat(ShellWords.expand("a  \"b c\"  $V", VARS, '\\')).isEqualTo("a  b c  val");
  }

  @Test
  void split_unmatchedDoubleQuote_isRefused() {
    assertThatThrownBy(() -> split("echo \"open"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unmatched \"");
  }

  @Test
  void split_unmatchedSingleQuote_isRefused() {
    assertThatThrownBy(() -> split("echo 'open"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unmatched '");
  }

  @Test
  void split_missingClosingBrace_isRefused() {
    assertThatThrownBy(() -> split("${V:-${B}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing '}'");
  }

  @Test
  void split_unknownSubstitutionForm_isRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> split("${V:?required}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("${V:?required}").hasMessageContaining("${VAR:-default}");
  }
}
