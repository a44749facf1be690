package dev.berth.testimages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer tars written from real directories and read back with commons-compress. */
class LayerTarTest {
  @TempDir Path dir;

  @Test
  void write_sameAuthoredTreeTwice_givesIdenticalBytes() throws IOException {
    Files.createDirectories(dir.resolve("b/c"));
    Files.writeString(dir.resolve("b/c/file"), "x");
    Files.createSymbolicLink(dir.resolve("a"), Path.of("/b/c/file"));
    byte[] first = tar(new LayerTar(true, List.of(), List.of()));
    Files.setLastModifiedTime(dir.resolve("b/c/file"), java.nio.file.attribute.FileTime.fromMillis(0));
    assertThat(tar(new LayerTar(true, List.of(), List.of()))).isEqualTo(first);
  }

  @Test
  void write_entries_areSortedByName() throws IOException {
    for (String name : List.of("z", "a", "m")) {
      Files.writeString(dir.resolve(name), name);
    }
    assertThat(entries(new LayerTar(true, List.of(), List.of())).keySet()).containsExactly("a", "m", "z");
  }

  @Test
  void write_authoredLayer_ownsEverythingByRootExceptDirSpecs() throws IOException {
    Files.createDirectories(dir.resolve("home/app"));
    Map<String, TarArchiveEntry> entries = entries(new LayerTar(true,
        List.of(new RecipeFile.DirSpec("/home/app", "750", "1000:1001")), List.of()));
    assertThat(entries.get("home/").getLongUserId()).isZero();
    assertThat(entries.get("home/app/").getLongUserId()).isEqualTo(1000);
    assertThat(entries.get("home/app/").getLongGroupId()).isEqualTo(1001);
    assertThat(entries.get("home/app/").getMode() & 07777).isEqualTo(0750);
  }

  @Test
  void write_hardLinkedFiles_becomeOneFileAndOneLink() throws IOException {
    Files.writeString(dir.resolve("a"), "same");
    Files.createLink(dir.resolve("b"), dir.resolve("a"));
    Map<String, TarArchiveEntry> entries = entries(new LayerTar(false, List.of(), List.of()));
    assertThat(entries.get("b").isLink()).isTrue();
    assertThat(entries.get("b").getLinkName()).isEqualTo("a");
  }

  @Test
  void write_longName_survivesThroughPaxHeaders() throws IOException {
    String name = "d".repeat(120) + "/" + "f".repeat(120);
    Files.createDirectories(dir.resolve(name).getParent());
    Files.writeString(dir.resolve(name), "x");
    assertThat(entries(new LayerTar(true, List.of(), List.of()))).containsKey(name);
  }

  @Test
  void write_opaqueDirectoryOverALowerOne_getsAnOpaqueWhiteout(@TempDir Path lower) throws IOException {
    markOpaque(Files.createDirectories(dir.resolve("etc")));
    Files.createDirectories(lower.resolve("etc"));
    assertThat(entries(new LayerTar(false, List.of(), List.of(lower))).keySet())
        .containsExactly("etc/", "etc/.wh..wh..opq");
  }

  @Test
  void write_opaqueDirectoryWithNothingBelow_getsNoMarker(@TempDir Path lower) throws IOException {
    markOpaque(Files.createDirectories(dir.resolve("etc")));
    assertThat(entries(new LayerTar(false, List.of(), List.of(lower))).keySet())
        .containsExactly("etc/");
  }

  /** What overlayfs mounted with userxattr writes on an opaque directory. */
  private static void markOpaque(Path directory) {
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(directory, UserDefinedFileAttributeView.class);
    try {
      view.write("overlay.opaque", ByteBuffer.wrap("y".getBytes(StandardCharsets.UTF_8)));
    } catch (IOException | UnsupportedOperationException e) {
      assumeTrue(false, "the temp dir's file system has no user xattrs: " + e);
    }
  }

  @Test
  void write_overlayWhiteoutDevice_becomesWhFile() throws Exception {
    assumeTrue(LayerMaker.isRoot(), "mknod of a 0/0 character device needs root");
    Files.createDirectories(dir.resolve("etc"));
    Layouts.run("mknod", dir.resolve("etc/gone").toString(), "c", "0", "0");
    Map<String, TarArchiveEntry> entries = entries(new LayerTar(false, List.of(), List.of()));
    assertThat(entries.keySet()).containsExactly("etc/", "etc/.wh.gone");
    assertThat(entries.get("etc/.wh.gone").isFile()).isTrue();
  }

  @Test
  void write_realCharacterDevice_keepsItsNumbers() throws Exception {
    assumeTrue(LayerMaker.isRoot(), "mknod needs root");
    Layouts.run("mknod", dir.resolve("null").toString(), "c", "1", "3");
    TarArchiveEntry entry = entries(new LayerTar(false, List.of(), List.of())).get("null");
    assertThat(entry.isCharacterDevice()).isTrue();
    assertThat(List.of(entry.getDevMajor(), entry.getDevMinor())).containsExactly(1, 3);
  }

  private byte[] tar(LayerTar tar) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    tar.write(dir, out);
    return out.toByteArray();
  }

  private Map<String, TarArchiveEntry> entries(LayerTar tar) throws IOException {
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar(tar)))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), e);
      }
    }
    return entries;
  }
}
