package dev.berth.internal.archive;

import dev.berth.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The image archive formats Berth writes and reads, as {@code docker save/load},
 * {@code podman save/load} and {@code skopeo copy} know them.
 */
public enum ArchiveFormat {
  /** An OCI image layout directory: {@code oci-layout}, {@code index.json}, {@code blobs/}. */
  OCI_DIR,
  /** An OCI image layout in a tar ({@code skopeo oci-archive:}, {@code podman save --format oci-archive}). */
  OCI_ARCHIVE,
  /**
   * {@code docker save}'s tar: {@code manifest.json} ({@code [{Config, RepoTags, Layers}]}), the
   * config, uncompressed layer tars and the legacy {@code repositories} file. Docker 25+ puts an
   * OCI layout in the same tar; Berth reads both kinds.
   */
  DOCKER_ARCHIVE;

  /**
   * Tells the format of an existing archive: a directory with {@code oci-layout} (or
   * {@code index.json}) is {@link #OCI_DIR}; a tar (plain, gzip or zstd) with
   * {@code manifest.json} is {@link #DOCKER_ARCHIVE}, even when it also holds an OCI layout;
   * one with {@code index.json} only is {@link #OCI_ARCHIVE}.
   *
   * @param path the archive
   * @param tempDir where a compressed archive may be decompressed to
   * @throws BerthException naming the path when it does not exist, is unreadable or holds no
   *     image archive
   */
  public static ArchiveFormat detect(Path path, Path tempDir) {
    if (Files.isDirectory(path)) {
      try (DirTree tree = new DirTree(path)) {
        if (tree.exists("oci-layout") || tree.exists("index.json")) {
          return OCI_DIR;
        }
      } catch (IOException e) {
        throw new BerthException("cannot read directory " + path + ": " + e.getMessage(), e);
      }
      throw new BerthException("directory " + path + " is not an OCI image layout: it has no"
          + " oci-layout or index.json file; give an image archive (docker save, skopeo copy"
          + " oci:) or an OCI layout directory");
    }
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new BerthException("image archive " + path + " does not exist: check the path");
    }
    try (TarTree tree = TarTree.open(path, tempDir)) {
      return of(tree);
    } catch (IOException e) {
      throw new BerthException("cannot read image archive " + path + ": " + e.getMessage(), e);
    }
  }

  /** The format of an opened tar, by which well-known files it holds. */
  static ArchiveFormat of(TarTree tree) throws IOException {
    if (tree.exists("manifest.json")) {
      return DOCKER_ARCHIVE;
    }
    if (tree.exists("index.json")) {
      return OCI_ARCHIVE;
    }
    throw new BerthException(tree.name() + " is not an image archive: it holds neither"
        + " manifest.json (docker save) nor index.json (OCI layout); make it with save, docker"
        + " save or skopeo copy");
  }
}
