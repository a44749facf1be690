package dev.berth.testimages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipes read from a scratch recipes directory. */
class RecipeBookTest {
  private static final String TEXT_LAYER =
      "{\"images\":[{\"layers\":[{\"createdBy\":\"x\",\"text\":{\"a\":\"1\"}}]}]}";

  @TempDir Path root;

  @Test
  void read_malformedJson_throwsNamingTheRecipe() throws IOException {
    write("broken", "{\"images\": [");
    assertThatThrownBy(() -> book().read("broken"))
        .isInstanceOf(TestImageException.class).hasMessageContaining("recipe 'broken'");
  }

  @Test
  void read_unknownField_throwsNamingTheField() throws IOException {
    write("typo", "{\"from\": \"busybox\", \"compresion\": \"zstd\"}");
    assertThatThrownBy(() -> book().read("typo"))
        .isInstanceOf(TestImageException.class).hasMessageContaining("compresion");
  }

  @Test
  void read_layerWithoutContent_throwsListingTheSources() throws IOException {
    write("empty", "{\"images\":[{\"layers\":[{\"createdBy\":\"nothing\"}]}]}");
    assertThatThrownBy(() -> book().read("empty"))
        .isInstanceOf(TestImageException.class).hasMessageContaining("has no content");
  }

  @Test
  void read_unknownCompression_throwsNamingIt() throws IOException {
    write("lz", "{\"from\":\"a\",\"compression\":\"lz4\"}");
    assertThatThrownBy(() -> book().read("lz"))
        .isInstanceOf(TestImageException.class).hasMessageContaining("lz4");
  }

  @Test
  void recipe_badPlatform_throwsNamingIt() throws IOException {
    write("plat", "{\"images\":[{\"platform\":\"linux\",\"layers\":[{\"createdBy\":\"x\",\"text\":{\"a\":\"1\"}}]}]}");
    assertThatThrownBy(() -> book().recipe("plat"))
        .isInstanceOf(TestImageException.class).hasMessageContaining("os/arch[/variant]");
  }

  @Test
  void recipe_fromLoop_throwsShowingTheLoop() throws IOException {
    write("a", "{\"from\":\"b\"}");
    write("b", "{\"from\":\"a\"}");
    assertThatThrownBy(() -> book().recipe("a"))
        .isInstanceOf(TestImageException.class).hasMessageContaining("loops");
  }

  @Test
  void recipe_from_reusesTheImagesWithItsOwnCompression() throws IOException {
    write("base", TEXT_LAYER);
    write("derived", "{\"from\":\"base\",\"compression\":\"zstd\"}");
    Recipe derived = book().recipe("derived");
    assertThat(derived.zstd()).isTrue();
    assertThat(derived.images()).isEqualTo(book().recipe("base").images());
  }

  @Test
  void hash_changedFile_changesTheHash() throws IOException {
    write("img", TEXT_LAYER);
    String before = book().hash("img");
    Files.writeString(root.resolve("img/extra.txt"), "more");
    assertThat(book().hash("img")).isNotEqualTo(before);
  }

  @Test
  void hash_fileMadeExecutable_changesTheHash() throws IOException {
    write("img", TEXT_LAYER);
    Path script = Files.writeString(root.resolve("img/run.sh"), "#!/bin/sh\n");
    String before = book().hash("img");
    Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(book().hash("img")).isNotEqualTo(before);
  }

  @Test
  void hash_coversTheBuildersCodeAndTools() {
    String fingerprint = BuilderFingerprint.get();
    assertThat(fingerprint).contains("code " + BuilderFingerprint.codeHash())
        .contains("commons-compress ").contains("zstd-jni ").contains("debootstrap=");
    assertThat(BuilderFingerprint.codeHash()).hasSize(64);
  }

  @Test
  void hash_changedBaseRecipe_changesTheDependentsHash() throws IOException {
    write("base", TEXT_LAYER);
    write("derived", "{\"images\":[{\"base\":\"base\"}]}");
    String before = book().hash("derived");
    write("base", TEXT_LAYER.replace("\"1\"", "\"2\""));
    assertThat(book().hash("derived")).isNotEqualTo(before);
  }

  @Test
  void names_listsOnlyDirectoriesWithARecipe() throws IOException {
    write("one", TEXT_LAYER);
    Files.createDirectories(root.resolve("not-a-recipe"));
    assertThat(book().names()).containsExactly("one");
  }

  @Test
  void bundled_findsTheShippedRecipes() {
    assertThat(RecipeBook.bundled().names()).contains("busybox", "node");
  }

  private RecipeBook book() {
    return new RecipeBook(root);
  }

  private void write(String name, String json) throws IOException {
    Files.createDirectories(root.resolve(name));
    Files.writeString(root.resolve(name).resolve("recipe.json"), json);
  }
}
