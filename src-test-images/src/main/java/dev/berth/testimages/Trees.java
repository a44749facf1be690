package dev.berth.testimages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** File tree helpers. */
final class Trees {
  private Trees() {}

  /**
   * Deletes {@code path} recursively without ever crossing into another file system: if a build
   * left /proc or a bind mount of /dev under it, this fails instead of emptying the host's /dev.
   */
  static void delete(Path path) {
    if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Command.run(List.of("rm", "-rf", "--one-file-system", "--", path.toString()));
    }
  }

  /** Deletes everything inside {@code dir}, keeping {@code dir}. */
  static void deleteChildren(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> children = Files.list(dir)) {
      children.forEach(Trees::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies the tree {@code source} into {@code target}, files with their modes (an authored
   * layer's executables stay executable; {@link LayerTar} normalises the rest).
   */
  static void copy(Path source, Path target) throws IOException {
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path from : walk.sorted().toList()) {
        Path to = target.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
              java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
