package dev.berth.internal.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .dockerignore patterns by Docker's rules. */
class DockerIgnoreTest {
  private static DockerIgnore of(String... lines) {
    return DockerIgnore.of(List.of(lines));
  }

  @Test
  void star_matchesWithinOneDirectoryOnly() {
    DockerIgnore i = of("*.log");
    assertThat(i.isExcluded("a.log")).isTrue();
    assertThat(i.isExcluded("sub/a.log")).isFalse();
  }

  @Test
  void doubleStarSlash_matchesAtAnyDepthIncludingTheRoot() {
    DockerIgnore i = of("**/*.log");
    assertThat(i.isExcluded("a.log")).isTrue();
    assertThat(i.isExcluded("x/y/a.log")).isTrue();
    assertThat(i.isExcluded("a.txt")).isFalse();
  }

  @Test
  void doubleStarInTheMiddle_matchesZeroOrMoreDirectories() {
    DockerIgnore i = of("a/**/b");
    assertThat(i.isExcluded("a/b")).isTrue();
    assertThat(i.isExcluded("a/x/y/b")).isTrue();
    assertThat(i.isExcluded("c/a/b")).isFalse();
  }

  @Test
  void trailingDoubleStar_matchesEverythingBelow() {
    assertThat(of("build/**").isExcluded("build/x/y.o")).isTrue();
  }

  @Test
  void directoryPattern_excludesEverythingInIt() {
    assertThat(of("node_modules").isExcluded("node_modules/x/index.js")).isTrue();
  }

  @Test
  void exception_reincludesAMatchedFile() {
    DockerIgnore i = of("*.md", "!README.md");
    assertThat(i.isExcluded("CHANGES.md")).isTrue();
    assertThat(i.isExcluded("README.md")).isFalse();
  }

  @Test
  void exception_reincludesAFileInsideAnExcludedDirectory() {
    DockerIgnore i = of("docs", "!docs/keep.txt");
    assertThat(i.isExcluded("docs/keep.txt")).isFalse();
    assertThat(i.isExcluded("docs/other.txt")).isTrue();
  }

  @Test
  void lastMatchingPattern_wins() {
    assertThat(of("!a.txt", "a.txt").isExcluded("a.txt")).isTrue();
  }

  @Test
  void commentsAndBlankLines_areIgnored() {
    DockerIgnore i = of("# a.txt", "", "   ");
    assertThat(i.isExcluded("a.txt")).isFalse();
    assertThat(i.isExcluded("# a.txt")).isFalse();
  }

  @Test
  void leadingAndTrailingSlashes_andDotSegments_areCleaned() {
    DockerIgnore i = of("/tmp/", "./x/../secret");
    assertThat(i.isExcluded("tmp/a")).isTrue();
    assertThat(i.isExcluded("secret")).isTrue();
  }

  @Test
  void questionMark_matchesOneCharacterButNotASlash() {
    DockerIgnore i = of("a?c");
    assertThat(i.isExcluded("abc")).isTrue();
    assertThat(i.isExcluded("abbc")).isFalse();
    assertThat(i.isExcluded("a/c")).isFalse();
  }

  @Test
  void characterSets_andNegatedSets_match() {
    assertThat(of("[ab].txt").isExcluded("b.txt")).isTrue();
    assertThat(of("[ab].txt").isExcluded("c.txt")).isFalse();
    assertThat(of("[!a].txt").isExcluded("a.txt")).isFalse();
    assertThat(of("[!a].txt").isExcluded("c.txt")).isTrue();
  }

  @Test
  void backslash_escapesAGlobCharacter() {
    DockerIgnore i = of("\\*.txt");
    assertThat(i.isExcluded("*.txt")).isTrue();
    assertThat(i.isExcluded("a.txt")).isFalse();
  }

  @Test
  void regexCharacters_inNames_areLiteral() {
    assertThat(of("a+b(1).txt").isExcluded("a+b(1).txt")).isTrue();
    assertThat(of("a.txt").isExcluded("abtxt")).isFalse();
  }

  @Test
  void read_missingFile_excludesNothing(@TempDir Path context) {
    assertThat(DockerIgnore.read(context).isExcluded("anything")).isFalse();
  }

  @Test
  void read_file_appliesItsPatterns(@TempDir Path context) throws Exception {
    Files.writeString(context.resolve(".dockerignore"), "*.key\n!public.key\n");
    DockerIgnore i = DockerIgnore.read(context);
    assertThat(i.isExcluded("private.key")).isTrue();
    assertThat(i.isExcluded("public.key")).isFalse();
  }
}
