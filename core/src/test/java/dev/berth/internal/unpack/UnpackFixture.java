package dev.berth.internal.unpack;

import dev.berth.internal.manifest.Compression;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testsupport.TarBuilder;
import dev.berth.testsupport.TreeDiff;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;

/**
 * A root to unpack into and, next to it, a sentinel directory that no layer may touch: {@code
 * <tmp>/root} and {@code <tmp>/sentinel/keep}.
 */
final class UnpackFixture {
  final Path root;
  final Path sentinel;
  private final Path tmp;
  private final SortedMap<String, TreeDiff.Node> sentinelBefore;
  private final SortedMap<String, TreeDiff.Node> tmpBefore;

  UnpackFixture(Path tmp) throws IOException {
    this.tmp = tmp;
    this.root = Files.createDirectory(tmp.resolve("root"));
    this.sentinel = Files.createDirectory(tmp.resolve("sentinel"));
    Files.writeString(sentinel.resolve("keep"), "sentinel");
    this.sentinelBefore = TreeDiff.snapshot(sentinel);
    this.tmpBefore = shallow(tmp);
  }

  UnpackSummary unpack(UnpackOptions options, TarBuilder layer) {
    return new LayerUnpacker(options).unpack(new ByteArrayInputStream(layer.bytes()), Compression.NONE, root,
        "sha256:test");
  }

  /** Asserts that nothing outside the root was written, changed or removed. */
  void assertOutsideUntouched() throws IOException {
    assertThat(TreeDiff.snapshot(sentinel)).isEqualTo(sentinelBefore);
    assertThat(shallow(tmp)).isEqualTo(tmpBefore);
    assertThat(Files.getAttribute(sentinel.resolve("keep"), "unix:nlink")).isEqualTo(1);
  }

  /** The tmp dir's own entries (not the root's contents, which change). */
  private static SortedMap<String, TreeDiff.Node> shallow(Path tmp) {
    SortedMap<String, TreeDiff.Node> all = TreeDiff.snapshot(tmp);
    all.keySet().removeIf(p -> p.startsWith("root/") || p.startsWith("sentinel") || p.equals("."));
    all.computeIfPresent("root", (k, n) -> null);
    return all;
  }
}
