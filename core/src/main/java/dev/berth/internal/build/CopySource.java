package dev.berth.internal.build;

import dev.berth.BerthException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where COPY and ADD read files: a directory (the build context, or a stage's files flattened
 * into a temp dir), with the context's {@code .dockerignore}. Resolves source patterns to the
 * entries to copy and where each goes, by Docker's rules.
 *
 * @param root the directory source paths are relative to
 * @param ignore what is left out (only the build context has rules)
 * @param name the source's name in errors, e.g. "build context /src/app"
 */
record CopySource(Path root, DockerIgnore ignore, String name) {

  /** One file, link or directory to create in the layer. */
  record Entry(Path source, String target) {}

  /**
   * @param patterns source paths or globs, relative to the root
   * @param dest the absolute destination; a trailing {@code /} makes it a directory
   * @return every entry to create, sorted by target, directories before their contents
   * @throws BerthException naming the pattern when nothing matches or it leaves the root
   */
  List<Entry> resolve(List<String> patterns, String dest) {
    List<Path> matched = new ArrayList<>();
    for (String p : patterns) {
      matched.addAll(match(p));
    }
    boolean destIsDir = dest.endsWith("/") || matched.size() > 1
        || matched.size() == 1 && Files.isDirectory(matched.get(0), LinkOption.NOFOLLOW_LINKS);
    String base = dest.equals("/") ? "/" : dest.replaceFirst("/+$", "");
    List<Entry> out = new ArrayList<>();
    for (Path m : matched) {
      if (Files.isDirectory(m, LinkOption.NOFOLLOW_LINKS)) {
        addTree(m, base, out);
      } else {
        out.add(new Entry(m, destIsDir ? join(base, m.getFileName().toString()) : base));
      }
    }
    out.sort((a, b) -> a.target().compareTo(b.target()));
    return out;
  }

  private List<Path> match(String pattern) {
    Path norm = Path.of(pattern.replaceFirst("^/+", "")).normalize();
    if (norm.startsWith("..")) {
      throw new BerthException("COPY source " + pattern + " is outside the " + name
          + ": only files inside it can be copied");
    }
    String rel = norm.toString();
    if (!hasGlob(rel)) {
      Path p = root.resolve(rel);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || !rel.isEmpty() && ignore.isExcluded(rel)) {
        throw notFound(pattern);
      }
      return List.of(p);
    }
    List<Path> found = glob(rel);
    if (found.isEmpty()) {
      throw notFound(pattern);
    }
    return found;
  }

  private List<Path> glob(String rel) {
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rel);
    int depth = rel.split("/").length;
    String prefix = rel.substring(0, Math.max(0, firstGlob(rel)));
    Path start = root.resolve(prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/'))
        : "");
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(start, depth)) {
      return s.filter(p -> !p.equals(root))
          .filter(p -> {
            Path r = root.relativize(p);
            return r.getNameCount() == depth && matcher.matches(r)
                && !ignore.isExcluded(r.toString());
          })
          .sorted().toList();
    } catch (IOException e) {
      throw new BerthException("cannot list " + start + " in the " + name + ": " + e, e);
    }
  }

  private void addTree(Path dir, String target, List<Entry> out) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.forEach(p -> {
        String rel = root.relativize(p).toString();
        if (!p.equals(dir) && !rel.isEmpty() && ignore.isExcluded(rel)) {
          return;
        }
        String sub = dir.relativize(p).toString();
        out.add(new Entry(p, sub.isEmpty() ? target : join(target, sub)));
      });
    } catch (IOException e) {
      throw new BerthException("cannot read " + dir + " in the " + name + ": " + e, e);
    }
  }

  private BerthException notFound(String pattern) {
    return new BerthException("COPY failed: " + pattern + " not found in the " + name
        + " (or excluded by .dockerignore); check the path, which is relative to the context");
  }

  static String join(String dir, String name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }

  private static boolean hasGlob(String s) {
    return firstGlob(s) >= 0;
  }

  private static int firstGlob(String s) {
    for (int i = 0; i < s.length(); i++) {
      if ("*?[".indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
