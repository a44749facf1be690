package dev.berth.testimages;

import java.nio.file.Path;

/** Entry point for a child JVM in ImageCacheTest: builds one recipe and prints its layout path. */
final class BuildInChildJvm {
  private BuildInChildJvm() {}

  public static void main(String[] args) {
    Path layout = new ImageCache(Path.of(args[0]), new RecipeBook(Path.of(args[1]))).layout(args[2]);
    System.out.println(layout);
  }
}
