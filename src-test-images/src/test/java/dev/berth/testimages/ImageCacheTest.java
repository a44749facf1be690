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
