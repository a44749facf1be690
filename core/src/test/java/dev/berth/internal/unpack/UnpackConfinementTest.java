package dev.berth.internal.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.BerthException;
import dev.berth.UnsafeArchiveException;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.unpack.UnpackOptions.Resolution;
import dev.berth.testsupport.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every way a layer could reach outside its root, with openat2 and with the walking fallback. */
class UnpackConfinementTest {
  @TempDir Path tmp;
  private UnpackFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new UnpackFixture(tmp);
  }

  private static UnpackOptions flatten(Resolution how) {
    return UnpackOptions.flatten().withResolution(how);
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void dotDotName_isCleanedIntoTheRoot(Resolution how) throws Exception {
    UnpackSummary s = fx.unpack(flatten(how), new TarBuilder().file("../sentinel/evil", "x"));

    assertThat(fx.root.resolve("sentinel/evil")).hasContent("x");
    assertThat(s.notes()).anyMatch(n -> n.contains("climbs above the root"));
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void absoluteName_landsUnderTheRoot(Resolution how) throws Exception {
    fx.unpack(flatten(how), new TarBuilder().file(fx.sentinel.resolve("evil").toString(), "x"));

    assertThat(fx.root.resolve(fx.sentinel.toString().substring(1)).resolve("evil")).hasContent("x");
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void symlinkToSlash_writeThroughIt_landsUnderTheRoot(Resolution how) throws Exception {
    String through = "link" + fx.sentinel + "/evil";

    fx.unpack(flatten(how), new TarBuilder().symlink("link", "/").dir("link" + fx.sentinel).file(through, "x"));

    assertThat(fx.root.resolve(fx.sentinel.toString().substring(1)).resolve("evil")).hasContent("x");
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void symlinkToDotDots_writeThroughIt_landsInTheRoot(Resolution how) throws Exception {
    fx.unpack(flatten(how), new TarBuilder().symlink("up", "../../../../..").dir("sentinel").file("up/sentinel/evil", "x"));

    assertThat(fx.root.resolve("sentinel/evil")).hasContent("x");
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void symlinkChain_writeThroughIt_landsInTheRoot(Resolution how) throws Exception {
    fx.unpack(flatten(how), new TarBuilder().dir("sentinel").symlink("a", "b").symlink("b", "c/../../sentinel")
        .dir("c").file("a/evil", "x"));

    assertThat(fx.root.resolve("sentinel/evil")).hasContent("x");
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void symlinkToMissingOutsideDir_writeThroughIt_failsWithoutWritingOutside(Resolution how) throws Exception {
    TarBuilder layer = new TarBuilder().symlink("s", fx.sentinel.toString()).file("s/evil", "x");

    assertThatThrownBy(() -> fx.unpack(flatten(how), layer))
        .isInstanceOf(BerthException.class).hasMessageContaining("s/evil");
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void symlinkFromLowerLayer_writeThroughIt_landsUnderTheRoot(Resolution how) throws Exception {
    Files.createSymbolicLink(fx.root.resolve("lower"), Path.of("/"));

    fx.unpack(flatten(how), new TarBuilder().file("lower/evil", "x"));

    assertThat(fx.root.resolve("evil")).hasContent("x");
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void fileOverSymlinkToOutside_replacesTheSymlink(Resolution how) throws Exception {
    Files.createSymbolicLink(fx.root.resolve("f"), fx.sentinel.resolve("keep"));

    fx.unpack(flatten(how), new TarBuilder().file("f", "new"));

    assertThat(fx.root.resolve("f")).isRegularFile().hasContent("new");
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void hardlinkToAbsoluteEtcPasswd_linksTheLayersOwnFile(Resolution how) throws Exception {
    Object hostLinks = Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink");

    fx.unpack(flatten(how), new TarBuilder().dir("etc").file("etc/passwd", "inside").hardlink("h", "/etc/passwd"));

    assertThat(Files.isSameFile(fx.root.resolve("h"), fx.root.resolve("etc/passwd"))).isTrue();
    assertThat(Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink")).isEqualTo(hostLinks);
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void hardlinkToAbsoluteEtcPasswd_notInLayer_failsNamingTheLink(Resolution how) throws Exception {
    Object hostLinks = Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink");

    assertThatThrownBy(() -> fx.unpack(flatten(how), new TarBuilder().hardlink("h", "/etc/passwd")))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("hardlink 'h' points to '/etc/passwd', which is not in the layer");
    assertThat(Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink")).isEqualTo(hostLinks);
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void hardlinkToDotDotOutside_isRefusedAsUnsafe(Resolution how) throws Exception {
    assertThatThrownBy(() -> fx.unpack(flatten(how), new TarBuilder().hardlink("h", "../sentinel/keep")))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessage("layer sha256:test: hardlink 'h' points to '../sentinel/keep', outside the layer's root;"
            + " refusing the layer");
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void hardlinkThroughSymlinkToOutside_resolvesInTheRoot(Resolution how) throws Exception {
    TarBuilder layer = new TarBuilder().symlink("s", fx.sentinel.toString()).hardlink("h", "s/keep");

    assertThatThrownBy(() -> fx.unpack(flatten(how), layer)).isInstanceOf(BerthException.class);
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void whiteoutNamedDotDot_removesInsideTheRootOnly(Resolution how) throws Exception {
    Files.writeString(fx.root.resolve("keep"), "lower");

    fx.unpack(flatten(how), new TarBuilder().file("../.wh.keep", "").file("../sentinel/.wh.keep", ""));

    assertThat(fx.root.resolve("keep")).doesNotExist();
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void whiteoutThroughSymlinkToOutside_removesNothingOutside(Resolution how) throws Exception {
    Files.createSymbolicLink(fx.root.resolve("abs"), fx.sentinel);
    Files.createSymbolicLink(fx.root.resolve("rel"), Path.of("../sentinel"));

    fx.unpack(flatten(how), new TarBuilder().whiteout("abs", "keep").whiteout("rel", "keep").opaque("abs"));

    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void whiteoutOfDotDot_isRefusedAsUnsafe(Resolution how) {
    assertThatThrownBy(() -> fx.unpack(flatten(how), new TarBuilder().file("a/.wh...", "")))
        .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining("'a/.wh...'");
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void rootReplacedBySymlink_isRefusedAsUnsafe(Resolution how) throws Exception {
    assertThatThrownBy(() -> fx.unpack(flatten(how), new TarBuilder().symlink("./", "/")))
        .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining("replace the root directory");
    assertThat(fx.root).isDirectory();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void symlinkLoop_writeThroughIt_failsClearly(Resolution how) throws Exception {
    TarBuilder layer = new TarBuilder().symlink("x", "y").symlink("y", "x").file("x/f", "");

    assertThatThrownBy(() -> fx.unpack(flatten(how), layer))
        .isInstanceOf(BerthException.class).hasMessageContaining("x/f").hasMessageContaining("ELOOP");
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void overlay_symlinkToDotDots_writeThroughIt_landsInTheRoot(Resolution how) throws Exception {
    fx.unpack(UnpackOptions.overlay().withResolution(how),
        new TarBuilder().symlink("up", "../..").dir("sentinel").file("up/sentinel/evil", "x"));

    assertThat(fx.root.resolve("sentinel/evil")).hasContent("x");
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void overlay_whiteoutThroughSymlinkToOutside_createsNothingOutside(Resolution how) throws Exception {
    TarBuilder layer = new TarBuilder().symlink("s", fx.sentinel.toString()).whiteout("s", "keep");

    assertThatThrownBy(() -> fx.unpack(UnpackOptions.overlay().withResolution(how), layer))
        .isInstanceOf(BerthException.class).hasMessageContaining("s/.wh.keep");
    fx.assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(value = Resolution.class, names = {"OPENAT2", "WALK"})
  void overlay_whiteoutThroughSymlinkToDotDot_landsInTheRoot(Resolution how) throws Exception {
    assumeThat(Linux.canMknodWhiteouts()).as("needs permission to create 0/0 character devices").isTrue();
    fx.unpack(UnpackOptions.overlay().withResolution(how),
        new TarBuilder().dir("sentinel").symlink("s", "../sentinel").whiteout("s", "keep"));

    assertThat(fx.root.resolve("sentinel/keep")).exists(); // the whiteout device, inside
    fx.assertOutsideUntouched();
  }
}
