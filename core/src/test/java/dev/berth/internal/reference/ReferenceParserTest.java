package dev.berth.internal.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Digest;
import dev.berth.ImageRef;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases mostly from distribution/reference's own tests (reference_test.go, normalize_test.go),
 * with the results Docker's {@code ParseNormalizedNamed} gives.
 */
class ReferenceParserTest {
  private static final String HEX = "f".repeat(64);
  private static final String DIGEST = "sha256:" + HEX;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      node                                  | docker.io          | library/node          | latest |
      node:18                               | docker.io          | library/node          | 18     |
      user/repo                             | docker.io          | user/repo             | latest |
      docker/docker                         | docker.io          | docker/docker         | latest |
      library/debian                        | docker.io          | library/debian        | latest |
      library/foo/bar                       | docker.io          | library/foo/bar       | latest |
      docker.io/debian                      | docker.io          | library/debian        | latest |
      docker.io/library/debian              | docker.io          | library/debian        | latest |
      index.docker.io/debian                | docker.io          | library/debian        | latest |
      index.docker.io/docker/docker         | docker.io          | docker/docker         | latest |
      registry-1.docker.io/library/node     | registry-1.docker.io | library/node        | latest |
      localhost/x                           | localhost          | x                     | latest |
      localhost/library/debian              | localhost          | library/debian        | latest |
      localhost:5000/x                      | localhost:5000     | x                     | latest |
      localhost:5000/x:1.0                  | localhost:5000     | x                     | 1.0    |
      LOCALDOMAIN/debian                    | LOCALDOMAIN        | debian                | latest |
      Docker/docker                         | Docker             | docker                | latest |
      test_com                              | docker.io          | library/test_com      | latest |
      test.com:tag                          | docker.io          | library/test.com      | tag    |
      test.com:5000                         | docker.io          | library/test.com      | 5000   |
      test.com/repo:tag                     | test.com           | repo                  | tag    |
      test:5000/repo                        | test:5000          | repo                  | latest |
      localhost                             | docker.io          | library/localhost     | latest |
      192.168.1.1                           | docker.io          | library/192.168.1.1   | latest |
      192.168.1.1:5000                      | docker.io          | library/192.168.1.1   | 5000   |
      192.168.1.1/repo                      | 192.168.1.1        | repo                  | latest |
      192.168.1.1:5000/repo:5050            | 192.168.1.1:5000   | repo                  | 5050   |
      sub-dom1.foo.com/bar/baz/quux:some-long-tag | sub-dom1.foo.com | bar/baz/quux     | some-long-tag |
      b.gcr.io/test.example.com/my-app:test.example.com | b.gcr.io | test.example.com/my-app | test.example.com |
      xn--n3h.com/myimage:xn--n3h.com       | xn--n3h.com        | myimage               | xn--n3h.com |
      foo_bar.com:8080                      | docker.io          | library/foo_bar.com   | 8080   |
      foo/foo_bar.com:8080                  | docker.io          | foo/foo_bar.com       | 8080   |
      docker-rules/docker                   | docker.io          | docker-rules/docker   | latest |
      docker---rules/docker                 | docker.io          | docker---rules/docker | latest |
      dock__er/docker                       | docker.io          | dock__er/docker       | latest |
      d/docker                              | docker.io          | d/docker              | latest |
      jess/t                                | docker.io          | jess/t                | latest |
      lowercase:Uppercase                   | docker.io          | library/lowercase     | Uppercase |
      node:_                                | docker.io          | library/node          | _      |
      [2001:db8::1]/repo                    | [2001:db8::1]      | repo                  | latest |
      [2001:db8:1:2:3:4:5:6]/repo:tag       | [2001:db8:1:2:3:4:5:6] | repo              | tag    |
      [2001:db8::1]:5000/repo               | [2001:db8::1]:5000 | repo                  | latest |
      [::1]:5000/x                          | [::1]:5000         | x                     | latest |
      [fc00::1]:5000/docker/docker          | [fc00::1]:5000     | docker/docker         | latest |
      docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a | docker.io | library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a | latest |
      thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev | docker.io | library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev | latest |
      """)
  void parse_validTaggedReference_normalises(
      String input, String registry, String repository, String tag) {
    assertThat(ImageRef.parse(input))
        .isEqualTo(new ImageRef(registry, repository, tag, null));
  }

  static Stream<Arguments> digestReferences() {
    Digest d = Digest.parse(DIGEST);
    return Stream.of(
        Arguments.of("node@" + DIGEST, new ImageRef("docker.io", "library/node", null, d)),
        Arguments.of("busybox:latest@" + DIGEST,
            new ImageRef("docker.io", "library/busybox", "latest", d)),
        Arguments.of("test:5000/repo@" + DIGEST, new ImageRef("test:5000", "repo", null, d)),
        Arguments.of("test:5000/repo:tag@" + DIGEST, new ImageRef("test:5000", "repo", "tag", d)),
        Arguments.of("host.example/ns/repo:tag@" + DIGEST,
            new ImageRef("host.example", "ns/repo", "tag", d)),
        Arguments.of("[2001:db8::1]:5000/repo:tag@" + DIGEST,
            new ImageRef("[2001:db8::1]:5000", "repo", "tag", d)),
        Arguments.of("xn--7o8h.com/myimage:xn--7o8h.com@" + DIGEST,
            new ImageRef("xn--7o8h.com", "myimage", "xn--7o8h.com", d)),
        Arguments.of("validname@sha512:" + "f".repeat(128),
            new ImageRef("docker.io", "library/validname", null,
                new Digest("sha512", "f".repeat(128)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("digestReferences")
  void parse_referenceWithDigest_keepsDigestAndTagOnlyWhenGiven(String input, ImageRef expected) {
    assertThat(ImageRef.parse(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      Node                      | repository name must be lowercase (position 0)
      Uppercase:tag             | repository name must be lowercase (position 0)
      docker/Docker             | repository name must be lowercase (position 7)
      docker.io/docker/Docker   | repository name must be lowercase (position 17)
      test:5000/Uppercase/lowercase:tag | repository name must be lowercase (position 10)
      doCker                    | repository name must be lowercase (position 2)
      :justtag                  | repository path component must not be empty (position 0)
      @sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff | repository path component must not be empty (position 0)
      docker///docker           | repository path component must not be empty (position 7)
      docker/                   | repository path component must not be empty (position 7)
      /docker                   | repository path component must not be empty (position 0)
      -docker                   | repository path components must start with a lower-case letter or digit (position 0)
      -docker/docker            | repository path components must start with a lower-case letter or digit (position 0)
      ____/____                 | repository path components must start with a lower-case letter or digit (position 0)
      _docker/_docker           | repository path components must start with a lower-case letter or digit (position 0)
      docker-/docker            | separator '-' in repository name must be followed by a lower-case letter or digit (position 7)
      -docker-/docker           | repository path components must start with a lower-case letter or digit (position 0)
      docker/dock..er           | separator '.' in repository name must be followed by a lower-case letter or digit (position 12)
      docker/dock_.er           | separator '_' in repository name must be followed by a lower-case letter or digit (position 12)
      docker/dock-.er           | separator '-' in repository name must be followed by a lower-case letter or digit (position 12)
      dock___er/docker          | separator '__' in repository name must be followed by a lower-case letter or digit (position 6)
      dock-                     | separator '-' in repository name must be followed by a lower-case letter or digit (position 5)
      dock..er/docker           | registry host components must start and end with a letter or digit (position 5)
      dock-.er/docker           | registry host components must start and end with a letter or digit (position 4)
      dock_.er/docker           | unexpected character '_' in registry host (position 4)
      aa/asdf$$^/aa             | unexpected character '$' in repository name: use lower-case letters and digits, separated by '.', '_', '__', '-' or '/' (position 7)
      [2001:db8::1]             | unexpected character '[' in repository name
      [2001:db8::1]:5000        | unexpected character '[' in repository name
      [fc00::1]:5000            | unexpected character '[' in repository name
      [fe80::1%eth0]:5000/repo  | an IPv6 registry address holds hex digits and ':' between '[' and ']' (position 8)
      [2001:db8:3:4::192.0.2.33]:5000/debian | an IPv6 registry address holds hex digits and ':' between '[' and ']' (position 18)
      []:5000/repo              | an IPv6 registry address holds hex digits and ':' between '[' and ']' (position 1)
      fc00::1:5000/debian       | registry port must be a number (position 5)
      https://github.com/docker/docker | registry port must be a number (position 6)
      localhost:/x              | registry port must be a number (position 10)
      -docker.io/docker/docker  | registry host components must start and end with a letter or digit (position 0)
      docker-.io/docker         | registry host components must start and end with a letter or digit (position 6)
      docker..io/docker         | registry host components must start and end with a letter or digit (position 7)
      my_host.io/x              | unexpected character '_' in registry host (position 2)
      node:                     | tag must not be empty after ':' (position 5)
      node:-foo                 | tag must start with a letter, digit or '_' (position 5)
      node:.foo                 | tag must start with a letter, digit or '_' (position 5)
      node:a+b                  | unexpected character '+' in tag: use letters, digits, '_', '.' and '-' (position 6)
      node:a:b                  | unexpected character ':' in tag: use letters, digits, '_', '.' and '-' (position 6)
      node@                     | invalid digest '': expected algorithm:hex, e.g. sha256:<64 hex digits> (position 5)
      node@sha256               | invalid digest 'sha256': expected algorithm:hex, e.g. sha256:<64 hex digits> (position 5)
      repo@sha256:ffffffffffffffffffffffffffffffffff | invalid sha256 digest 'ffffffffffffffffffffffffffffffffff': expected 64 lower-case hex digits (position 5)
      validname@invaliddigest:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff | unsupported digest algorithm 'invaliddigest': use sha256 or sha512 (position 10)
      1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a | a 64-hex-digit string is an image id, not a repository name (position 0)
      ``                        | repository name must have at least one component (position 0)
      """)
  void parse_invalidReference_throwsQuotingInputAndPosition(String input, String problem) {
    assertThatThrownBy(() -> ReferenceParser.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid reference \"" + input + "\": ")
        .hasMessageContaining(problem);
  }

  @Test
  void parse_null_throwsSayingWhatToGive() {
    assertThatThrownBy(() -> ReferenceParser.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give an image reference such as node");
  }

  @Test
  void parse_repositoryOf255Characters_isAccepted() {
    String name = "a".repeat(255);
    assertThat(ReferenceParser.parse("example.com/" + name + ":tag").repository()).isEqualTo(name);
  }

  @Test
  void parse_repositoryOver255Characters_throwsNamingTheLimit() {
    assertThatThrownBy(() -> ReferenceParser.parse("domain/" + "a".repeat(256) + ":tag"))
        .hasMessageContaining("repository name must not be more than 255 characters, it has 263 "
            + "(position 0)");
  }

  @Test
  void parse_hubNameOver255CharactersWithLibraryPrefix_throws() {
    // "library/" counts: Docker checks the normalised path
    assertThatThrownBy(() -> ReferenceParser.parse("a".repeat(250)))
        .hasMessageContaining("must not be more than 255 characters, it has 258");
  }

  @Test
  void parse_pathOf255CharactersWithManyComponents_isAccepted() {
    String path = "a/".repeat(127) + "a";
    assertThat(ReferenceParser.parse(path + ":tag-puts-this-over-max").repository())
        .isEqualTo(path);
  }

  @Test
  void parse_tagOf128Characters_isAccepted() {
    String tag = "t".repeat(128);
    assertThat(ReferenceParser.parse("node:" + tag).tag()).isEqualTo(tag);
  }

  @Test
  void parse_tagOf129Characters_throwsNamingTheLimit() {
    assertThatThrownBy(() -> ReferenceParser.parse("node:" + "t".repeat(129)))
        .hasMessageContaining("tag must not be more than 128 characters, it has 129 (position 5)");
  }

  @Test
  void imageRefParse_delegatesToTheParser() {
    ReferenceParser.Parts parts = ReferenceParser.parse("node");
    assertThat(ImageRef.parse("node")).isEqualTo(
        new ImageRef(parts.registry(), parts.repository(), parts.tag(), parts.digest()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      node                                | node:latest                    | docker.io/library/node:latest
      ubuntu-12.04-base                   | ubuntu-12.04-base:latest       | docker.io/library/ubuntu-12.04-base:latest
      fooo/bar                            | fooo/bar:latest                | docker.io/fooo/bar:latest
      library/foo/bar                     | library/foo/bar:latest         | docker.io/library/foo/bar:latest
      other/library                       | other/library:latest           | docker.io/other/library:latest
      localhost/fooo                      | localhost/fooo:latest          | localhost/fooo:latest
      LOCALDOMAIN/fooo/bar                | LOCALDOMAIN/fooo/bar:latest    | LOCALDOMAIN/fooo/bar:latest
      127.0.0.1:8000/privatebase:1        | 127.0.0.1:8000/privatebase:1   | 127.0.0.1:8000/privatebase:1
      example.com:8000/private/moonbase   | example.com:8000/private/moonbase:latest | example.com:8000/private/moonbase:latest
      """)
  void familiarAndToString_areDockersForms(String input, String familiar, String full) {
    ImageRef ref = ImageRef.parse(input);
    assertThat(ref.familiar()).isEqualTo(familiar);
    assertThat(ref.toString()).isEqualTo(full);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      node
      library/foo/bar
      user/repo:1.0
      localhost:5000/x
      [::1]:5000/x:tag
      index.docker.io/debian
      busybox:latest@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
      node@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
      """)
  void familiarAndToString_parseBackToTheSameReference(String input) {
    ImageRef ref = ImageRef.parse(input);
    assertThat(ImageRef.parse(ref.familiar())).isEqualTo(ref);
    assertThat(ImageRef.parse(ref.toString())).isEqualTo(ref);
  }

  @Test
  void withTag_invalidTag_throwsFromTheParser() {
    ImageRef ref = ImageRef.parse("node");
    assertThatThrownBy(() -> ref.withTag("-bad"))
        .hasMessageContaining("tag must start with a letter, digit or '_'");
  }
}
