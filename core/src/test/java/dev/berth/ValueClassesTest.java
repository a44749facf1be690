package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wide value types are classes without a public constructor (issue #15, item 6): a field
 * added later breaks no caller; they still compare and print as values.
 */
class ValueClassesTest {

  @Test
  void wideValueTypes_haveNoPublicConstructor_andAreNotRecords() {
    for (Class<?> c : List.of(ContainerInfo.class, ImageInfo.class, HostInfo.class)) {
      assertThat(c.getConstructors()).as(c.getSimpleName()).isEmpty();
      assertThat(c.isRecord()).as(c.getSimpleName()).isFalse();
    }
  }

  @Test
  void hostInfo_equalValues_areEqual_andPrintTheirFacts() {
    HostInfo a = host("6.1.0");
    assertThat(a).isEqualTo(host("6.1.0")).hasSameHashCodeAs(host("6.1.0"))
        .isNotEqualTo(host("6.2.0"));
    assertThat(a.toString()).contains("rootless:        false", "kernel:          6.1.0");
  }

  @Test
  void imageInfo_copiesItsLists() {
    List<String> tags = new java.util.ArrayList<>(List.of("docker.io/library/node:20"));
    ImageInfo i = new ImageInfo(Digest.parse("sha256:" + "a".repeat(64)), tags, List.of(),
        Instant.EPOCH, 1, Platform.parse("linux/amd64"), List.of(), List.of("node"), List.of(),
        "", "", List.of(), List.of(), Map.of(), "", List.of());
    tags.clear();
    assertThat(i.repoTags()).containsExactly("docker.io/library/node:20");
    assertThat(i.toString()).startsWith("ImageInfo{id=aaaaaaaaaaaa, tags=[docker.io/library/node:20]");
  }

  @Test
  void runOptionsBuilder_printsWhatIsSetSoFar() {
    assertThat(RunOptions.builder().name("web").capAdd(Capability.NET_ADMIN))
        .hasToString("RunOptionsBuilder{name=web, capAdd=[NET_ADMIN]}");
  }

  /** Digest and Limits.isNone are written out (not the record's bootstrap): the same answers. */
  @Test
  void digestEquality_andLimitsIsNone_areTheRecordsOwn() {
    Digest a = Digest.parse("sha256:" + "a".repeat(64));
    assertThat(a).isEqualTo(Digest.sha256("a".repeat(64))).hasSameHashCodeAs(Digest.sha256("a".repeat(64)))
        .isNotEqualTo(Digest.sha256("b".repeat(64))).isNotEqualTo(Digest.parse("sha512:" + "a".repeat(128)))
        .isNotEqualTo("sha256:" + "a".repeat(64));
    assertThat(java.util.Set.of(a, Digest.sha256("b".repeat(64)))).contains(Digest.sha256("a".repeat(64)));

    assertThat(RunOptions.Limits.NONE.isNone()).isTrue();
    assertThat(new RunOptions.Limits(0, 0, 0, 0, 0).isNone()).isTrue();
    for (RunOptions.Limits some : List.of(new RunOptions.Limits(6L << 20, 0, 0, 0, 0),
        new RunOptions.Limits(0, -1, 0, 0, 0), new RunOptions.Limits(0, 0, 0.5, 0, 0),
        new RunOptions.Limits(0, 0, -0.0, 0, 0), new RunOptions.Limits(0, 0, 0, 512, 0),
        new RunOptions.Limits(0, 0, 0, 0, 10))) {
      assertThat(some.isNone()).as(some.toString()).isEqualTo(some.equals(RunOptions.Limits.NONE)).isFalse();
    }
  }

  private static HostInfo host(String kernel) {
    return new HostInfo(false, HostInfo.UserNamespace.NONE, List.of(), List.of(),
        HostInfo.RootfsMode.OVERLAY, "v2", true, "", Map.of("private", "outbound"), Map.of(),
        Path.of("/var/lib/berth"), Path.of("/usr/lib/berth/berth-helper"), kernel, "local", Map.of(), "127.0.0.1");
  }
}
