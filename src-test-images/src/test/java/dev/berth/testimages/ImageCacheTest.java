package dev.berth.testimages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache with scratch recipes and a scratch cache directory. */
class ImageCacheTest {
  @TempDir Path recipes;
  @TempDir Path cacheRoot;

  @Test
  void layout_changedRecipe_buildsIntoANewDirectory() throws Exception {
    writeRecipe("hello", "one");
    ImageCache cache = new ImageCache(cacheRoot, new RecipeBook(recipes));
    Path first = cache.layout("hello");
    writeRecipe("hello", "two");
    Path second = cache.layout("hello");
    assertThat(second).isNotEqualTo(first);
    assertThat(second.resolve("index.json")).isRegularFile();
  }

  @Test
  void layout_manyThreadsAtOnce_allGetOneCompleteLayoutAndNoTempIsLeft() throws Exception {
    writeRecipe("hello", "one");
    ImageCache cache = new ImageCache(cacheRoot, new RecipeBook(recipes));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Path>> results = pool.invokeAll(IntStream.range(0, 8)
          .mapToObj(i -> (Callable<Path>) () -> cache.layout("hello")).toList());
      Path expected = results.get(0).get();
      for (Future<Path> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> entries = Files.list(cacheRoot)) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
    }
  }

  @Test
  void layout_severalJvmsAtOnce_allGetOneCompleteLayout() throws Exception {
    writeRecipe("hello", "one");
    List<Process> children = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), BuildInChildJvm.class.getName(),
          cacheRoot.toString(), recipes.toString(), "hello").redirectErrorStream(true).start());
    }
    java.util.Set<String> outputs = new java.util.HashSet<>();
    for (Process child : children) {
      outputs.add(new String(child.getInputStream().readAllBytes()).strip());
      assertThat(child.waitFor()).as("child output: %s", outputs).isZero();
    }
    assertThat(outputs).containsExactly(new ImageCache(cacheRoot, new RecipeBook(recipes)).layout("hello").toString());
  }

  @Test
  void layout_busyboxBuiltInTwoCaches_isByteIdentical(@TempDir Path otherRoot) throws Exception {
    Path first = new ImageCache(cacheRoot, RecipeBook.bundled()).layout("busybox");
    Path second = new ImageCache(otherRoot, RecipeBook.bundled()).layout("busybox");
    assertThat(Files.readString(second.resolve("index.json")))
        .isEqualTo(Files.readString(first.resolve("index.json")));
  }

  @Test
  void layout_abandonedBuildOfTheSameKey_isSweptAway() throws Exception {
    writeRecipe("hello", "one");
    RecipeBook book = new RecipeBook(recipes);
    String key = "hello-" + book.hash("hello").substring(0, 32);
    Path abandoned = Files.createDirectories(cacheRoot.resolve(".tmp-" + key + "-dead/work"));
    new ImageCache(cacheRoot, book).layout("hello");
    assertThat(abandoned.getParent()).doesNotExist();
  }

  private void writeRecipe(String name, String content) throws Exception {
    Files.createDirectories(recipes.resolve(name));
    Files.writeString(recipes.resolve(name).resolve("recipe.json"),
        "{\"images\":[{\"layers\":[{\"createdBy\":\"t\",\"text\":{\"greeting\":\"" + content + "\"}}]}]}");
  }
}
