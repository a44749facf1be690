package dev.berth.internal.unpack;

import dev.berth.internal.manifest.Compression;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.BerthException;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Xattrs;
import dev.berth.testsupport.TarBuilder;
import dev.berth.testsupport.TreeDiff;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnpackEntryTypesTest {
  private static final FileTime MTIME = FileTime.from(TarBuilder.MTIME);

  @TempDir Path tmp;
  private UnpackFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new UnpackFixture(tmp);
  }

  private UnpackSummary overlay(TarBuilder layer) {
    return fx.unpack(UnpackOptions.overlay(), layer);
  }

  private Map<String, Object> attrs(String path) throws Exception {
    return Files.readAttributes(fx.root.resolve(path), "unix:*", LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void regularFile_hasContentModeOwnerAndMtime() throws Exception {
    assumeThat(Linux.isRoot()).as("setting owners needs root").isTrue();

    overlay(new TarBuilder().file("f", "hello", e -> {
      e.setMode(0640);
      e.setIds(1234, 5678);
    }));

    Map<String, Object> a = attrs("f");
    assertThat(fx.root.resolve("f")).hasContent("hello");
    assertThat((Integer) a.get("mode") & 07777).isEqualTo(0640);
    assertThat(a).containsEntry("uid", 1234).containsEntry("gid", 5678).containsEntry("lastModifiedTime", MTIME);
  }

  @Test
  void setuidFileOwnedByNonRoot_keepsSetuidAfterChown() throws Exception {
    assumeThat(Linux.isRoot()).as("setting owners needs root").isTrue();

    overlay(new TarBuilder().file("su", "x", e -> {
      e.setMode(06755);
      e.setIds(1000, 1000);
    }));

    assertThat((Integer) attrs("su").get("mode") & 07777).isEqualTo(06755);
  }

  @Test
  void directory_modeAndMtimeAreSetAfterItsContents() throws Exception {
    overlay(new TarBuilder().dir("d", e -> e.setMode(01750)).file("d/f", "x").dir("d/e").file("d/e/g", "y"));

    Map<String, Object> a = attrs("d");
    assertThat((Integer) a.get("mode") & 07777).isEqualTo(01750);
    assertThat(a.get("lastModifiedTime")).isEqualTo(MTIME);
    assertThat(attrs("d/e").get("lastModifiedTime")).isEqualTo(MTIME);
  }

  @Test
  void directoryEntryOverExistingDirectory_updatesMetadataAndKeepsChildren() throws Exception {
    fx.unpack(UnpackOptions.flatten(), new TarBuilder().dir("d").file("d/f", "x"));

    fx.unpack(UnpackOptions.flatten(), new TarBuilder().dir("d", e -> e.setMode(0700)));

    assertThat(fx.root.resolve("d/f")).hasContent("x");
    assertThat((Integer) attrs("d").get("mode") & 07777).isEqualTo(0700);
  }

  @Test
  void directoryOverFile_replacesTheFile() {
    fx.unpack(UnpackOptions.flatten(), new TarBuilder().file("x", "file"));

    fx.unpack(UnpackOptions.flatten(), new TarBuilder().dir("x").file("x/y", "y"));

    assertThat(fx.root.resolve("x/y")).hasContent("y");
  }

  @Test
  void fileOverDirectory_replacesTheDirectoryAndItsContents() {
    fx.unpack(UnpackOptions.flatten(), new TarBuilder().dir("x").file("x/y", "y"));

    fx.unpack(UnpackOptions.flatten(), new TarBuilder().file("x", "file"));

    assertThat(fx.root.resolve("x")).isRegularFile().hasContent("file");
  }

  @Test
  void symlink_hasTargetOwnerAndMtimeOfTheLinkItself() throws Exception {
    assumeThat(Linux.isRoot()).as("setting owners needs root").isTrue();

    overlay(new TarBuilder().symlink("l", "../nowhere", e -> e.setIds(7, 8)));

    assertThat(Files.readSymbolicLink(fx.root.resolve("l"))).isEqualTo(Path.of("../nowhere"));
    assertThat(attrs("l")).containsEntry("uid", 7).containsEntry("gid", 8).containsEntry("lastModifiedTime", MTIME);
  }

  @Test
  void hardlinkInSameLayer_sharesTheInode() throws Exception {
    overlay(new TarBuilder().file("a", "x").hardlink("b", "a"));

    assertThat(Files.isSameFile(fx.root.resolve("a"), fx.root.resolve("b"))).isTrue();
    assertThat(attrs("a").get("nlink")).isEqualTo(2);
  }

  @Test
  void hardlinkToMissingTarget_failsNamingBothNames() {
    assertThatThrownBy(() -> overlay(new TarBuilder().hardlink("b", "a")))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("layer sha256:test: hardlink 'b' points to 'a', which is not in the layer");
  }

  @Test
  void fifo_isCreatedWithItsMode() throws Exception {
    overlay(new TarBuilder().node("p", TarConstants.LF_FIFO, 0, 0, e -> e.setMode(0600)));

    assertThat(TreeDiff.snapshot(fx.root).get("p").type()).isEqualTo("fifo");
    assertThat((Integer) attrs("p").get("mode") & 07777).isEqualTo(0600);
  }

  @Test
  void charAndBlockDevices_asRoot_haveTheirNumbers() {
    assumeThat(Linux.isRoot()).as("mknod of devices needs root").isTrue();

    overlay(new TarBuilder().node("null", TarConstants.LF_CHR, 1, 3, e -> {})
        .node("loop", TarConstants.LF_BLK, 7, 300, e -> {}));

    var nodes = TreeDiff.snapshot(fx.root);
    assertThat(nodes.get("null").type() + " " + nodes.get("null").target()).isEqualTo("char 1:3");
    assertThat(nodes.get("loop").type() + " " + nodes.get("loop").target()).isEqualTo("block 7:300");
  }

  @Test
  void longNames_gnuAndPax_areUnpackedWhole() {
    String dir = "d".repeat(120);
    String file = dir + "/" + "f".repeat(150);

    overlay(new TarBuilder().dir(dir).file(file, "long").symlink(dir + "/l", "t".repeat(200)));

    assertThat(fx.root.resolve(file)).hasContent("long");
  }

  @Test
  void nonAsciiName_isUnpackedAsUtf8() {
    overlay(new TarBuilder().file("ünïcødé-文件", "u"));

    assertThat(fx.root.resolve("ünïcødé-文件")).hasContent("u");
  }

  @Test
  void schilyAndLibarchiveXattrs_areSet() {
    String libarchiveValue = Base64.getEncoder().encodeToString(new byte[] {0, 1, 2});

    overlay(new TarBuilder().file("x", "", e -> {
      e.addPaxHeader("SCHILY.xattr.user.schily", "value");
      e.addPaxHeader("LIBARCHIVE.xattr.user.lib%20archive", libarchiveValue);
    }));

    assertThat(TreeDiff.snapshot(fx.root).get("x").xattrs()).containsEntry("user.schily", hex("value"))
        .containsEntry("user.lib archive", "000102");
  }

  @Test
  void fileCapability_survivesTheChown() {
    assumeThat(Linux.isRoot()).as("security.capability needs root").isTrue();
    // VFS_CAP_REVISION_2, effective, permitted = CAP_NET_RAW (bit 13): all bytes below 0x80
    byte[] cap = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    overlay(new TarBuilder().file("ping", "ELF", e -> {
      e.setIds(0, 1000);
      e.addPaxHeader("SCHILY.xattr.security.capability", new String(cap, StandardCharsets.UTF_8));
    }));

    assertThat(Xattrs.lgetxattr(fx.root.resolve("ping").toString(), "security.capability")).isEqualTo(cap);
  }

  @Test
  void xattrValueThatWasNotUtf8_isSkippedWithANote() {
    UnpackSummary s = overlay(new TarBuilder().file("x", "", e -> e.addPaxHeader("SCHILY.xattr.user.bin", "a\uFFFDb")));

    assertThat(Xattrs.lgetxattr(fx.root.resolve("x").toString(), "user.bin")).isNull();
    assertThat(s.notes()).containsExactly("xattr skipped, binary SCHILY.xattr value not readable: x user.bin");
  }

  @Test
  void unsettableSecurityXattr_isSkippedWithANote() {
    UnpackSummary s = overlay(new TarBuilder().symlink("l", "t", e -> e.addPaxHeader("SCHILY.xattr.user.onlink", "v")));

    assertThat(s.notes()).anyMatch(n -> n.startsWith("xattr not set (EPERM): l user.onlink"));
  }

  @Test
  void idMapping_isAppliedToOwners() throws Exception {
    assumeThat(Linux.isRoot()).as("setting owners needs root").isTrue();

    fx.unpack(UnpackOptions.overlay().withIdMapping(u -> u + 100000, g -> g + 200000),
        new TarBuilder().file("f", "", e -> e.setIds(1, 2)));

    assertThat(attrs("f")).containsEntry("uid", 100001).containsEntry("gid", 200002);
  }

  @Test
  void gzipAndZstdLayers_unpackTheSameAsPlain() {
    TarBuilder layer = new TarBuilder().dir("d").file("d/f", "compressed");
    byte[] gz = new TarBuilder().dir("d").file("d/f", "compressed").gzipped();
    byte[] zst = new TarBuilder().dir("d").file("d/f", "compressed").zstd();
    Path plainDir = fx.root;
    fx.unpack(UnpackOptions.overlay(), layer);

    Path gzDir = unpackInto("gz", gz, Compression.GZIP);
    Path zstDir = unpackInto("zst", zst, Compression.ZSTD);

    TreeDiff.between(plainDir, gzDir).withMtimes().assertSame();
    TreeDiff.between(plainDir, zstDir).withMtimes().assertSame();
  }

  @Test
  void hashingInput_isReadToItsEnd() throws Exception {
    byte[] withTrailer = new TarBuilder().file("f", "x").gzipped(); // gzip's CRC trailer follows tar's end
    MessageDigest sha = MessageDigest.getInstance("SHA-256");

    try (InputStream in = new DigestInputStream(new ByteArrayInputStream(withTrailer), sha)) {
      new LayerUnpacker(UnpackOptions.overlay()).unpack(in, Compression.GZIP, fx.root, "l");
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(sha.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(withTrailer));
  }

  @Test
  void summary_countsEntriesAndBytes() {
    UnpackSummary s = overlay(new TarBuilder().dir("d").file("d/a", "12345").file("d/b", "678"));

    assertThat(s.entries()).isEqualTo(3);
    assertThat(s.bytes()).isEqualTo(8);
  }

  @Test
  void corruptGzip_failsNamingTheLayerAndCompression() {
    byte[] notGzip = "this is not gzip".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> new LayerUnpacker(UnpackOptions.overlay())
        .unpack(new ByteArrayInputStream(notGzip), Compression.GZIP, fx.root, "sha256:bad"))
        .isInstanceOf(BerthException.class)
        .hasMessageStartingWith("layer sha256:bad: cannot read the layer archive (GZIP)");
  }

  @Test
  void missingLayerDirectory_failsSayingToCreateIt() {
    Path missing = tmp.resolve("missing");

    assertThatThrownBy(() -> new LayerUnpacker(UnpackOptions.overlay())
        .unpack(new TarBuilder().stream(), Compression.NONE, missing, "l"))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("cannot open the layer directory " + missing)
        .hasMessageContaining("create it");
  }

  @Test
  void mtimeWithNanoseconds_isKept() throws Exception {
    Instant precise = Instant.parse("2021-05-06T07:08:09.1234567Z"); // commons-compress writes 100 ns units

    overlay(new TarBuilder().file("f", "", e -> e.setLastModifiedTime(FileTime.from(precise))));

    assertThat(attrs("f").get("lastModifiedTime")).isEqualTo(FileTime.from(precise));
  }

  private Path unpackInto(String name, byte[] blob, Compression compression) {
    Path dir = tmp.resolve(name);
    try {
      Files.createDirectory(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    new LayerUnpacker(UnpackOptions.overlay()).unpack(new ByteArrayInputStream(blob), compression, dir, name);
    return dir;
  }

  private static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }
}
