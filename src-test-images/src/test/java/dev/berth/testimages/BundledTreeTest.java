package dev.berth.testimages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shipped trees read from a jar keep their authors' modes, or fail loudly. */
class BundledTreeTest {
  @TempDir Path dir;

  @Test
  void extract_jarWithUnixModes_keepsExecutableAndPlainFiles() throws IOException {
    Path jar = dir.resolve("recipes.jar");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(jar)) {
      put(zip, "recipes/", 040755, null);
      put(zip, "recipes/pg/", 040755, null);
      put(zip, "recipes/pg/entrypoint.sh", 0100755, "#!/bin/sh\n");
      put(zip, "recipes/pg/recipe.json", 0100644, "{}");
      put(zip, "other/ignored.txt", 0100644, "x");
    }
    Path out = Files.createDirectories(dir.resolve("out"));
    BundledTree.extractInto(jar, "recipes", out);
    assertThat(mode(out.resolve("recipes/pg/entrypoint.sh"))).isEqualTo(0755);
    assertThat(mode(out.resolve("recipes/pg/recipe.json"))).isEqualTo(0644);
    assertThat(out.resolve("other")).doesNotExist();
  }

  @Test
  void extract_jarWithoutUnixModes_throwsNamingTheEntry() throws IOException {
    Path jar = dir.resolve("plain.jar");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(jar)) {
      put(zip, "recipes/pg/entrypoint.sh", 0, "#!/bin/sh\n"); // as the JDK's jar tool writes
    }
    assertThatThrownBy(() -> BundledTree.extractInto(jar, "recipes", dir))
        .isInstanceOf(TestImageException.class)
        .hasMessageContaining("no unix mode for recipes/pg/entrypoint.sh");
  }

  @Test
  void of_sourceTree_isTheResourceDirectoryWithGitsModes() throws IOException {
    Path recipes = BundledTree.of("recipes", "busybox/recipe.json");
    Path entrypoint = recipes.resolve("postgres/entrypoint/usr/local/bin/docker-entrypoint.sh");
    assertThat(mode(entrypoint) & 0100).as("executable as in git").isNotZero();
  }

  private static void put(ZipArchiveOutputStream zip, String name, int unixMode, String content)
      throws IOException {
    ZipArchiveEntry e = new ZipArchiveEntry(name);
    if (unixMode != 0) {
      e.setUnixMode(unixMode);
    }
    zip.putArchiveEntry(e);
    if (content != null) {
      zip.write(content.getBytes(StandardCharsets.UTF_8));
    }
    zip.closeArchiveEntry();
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }
}
