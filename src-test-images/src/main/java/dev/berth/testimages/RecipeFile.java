package dev.berth.testimages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The contents of {@code recipes/<name>/recipe.json}, as written. {@link RecipeBook} resolves
 * {@code from} and {@code base} into a {@link Recipe}.
 *
 * @param description what the image is for
 * @param from another recipe whose images this one reuses (when {@code images} is absent)
 * @param compression {@code gzip} (default) or {@code zstd}
 * @param pushFormat {@code oci} (default) or {@code v2s2} (Docker media types at push time)
 * @param images one image, or several for an index (each with a platform)
 */
record RecipeFile(
    String description, String from, String compression, String pushFormat, List<ImageSpec> images) {

  RecipeFile {
    compression = compression == null ? "gzip" : compression;
    pushFormat = pushFormat == null ? "oci" : pushFormat;
    if (!List.of("gzip", "zstd").contains(compression)) {
      throw new IllegalArgumentException("compression must be gzip or zstd, not " + compression);
    }
    if (!List.of("oci", "v2s2").contains(pushFormat)) {
      throw new IllegalArgumentException("pushFormat must be oci or v2s2, not " + pushFormat);
    }
    if ((from == null) == (images == null)) {
      throw new IllegalArgumentException("give exactly one of \"from\" and \"images\"");
    }
    images = images == null ? null : List.copyOf(images);
  }

  /**
   * One image of a recipe.
   *
   * @param platform {@code os/arch[/variant]}; the host's when absent
   * @param base a recipe whose single image's layers and config come first
   * @param layers this image's own layers, bottom first
   * @param config the image config's {@code config} object (Cmd, Env, ...); read-only
   */
  record ImageSpec(String platform, String base, List<LayerSpec> layers, ObjectNode config) {
    ImageSpec {
      layers = layers == null ? List.of() : List.copyOf(layers);
      if (layers.isEmpty() && base == null) {
        throw new IllegalArgumentException("an image needs \"layers\" or a \"base\"");
      }
    }
  }

  /**
   * One layer: the union of the sources given. A layer made by {@code debootstrap} or {@code apt}
   * keeps the owners and times those tools wrote; any other layer is authored: owned by root
   * (unless {@code dirs} says otherwise) with fixed times, so it is reproducible.
   *
   * @param createdBy the history entry's {@code created_by}
   * @param busybox the host's /bin/busybox and a symlink per applet
   * @param files a directory of the recipe whose tree is copied to the layer's root
   * @param text files to write: path in the layer to content
   * @param dirs directories to create, with mode and owner
   * @param debootstrap a Debian root file system
   * @param apt packages to install on top of the layers below (the layer is the difference)
   */
  record LayerSpec(
      String createdBy,
      boolean busybox,
      String files,
      Map<String, String> text,
      List<DirSpec> dirs,
      Debootstrap debootstrap,
      List<String> apt) {
    LayerSpec {
      text = text == null ? Map.of() : Map.copyOf(text);
      dirs = dirs == null ? List.of() : List.copyOf(dirs);
      apt = apt == null ? List.of() : List.copyOf(apt);
      if (createdBy == null || createdBy.isBlank()) {
        throw new IllegalArgumentException("every layer needs \"createdBy\" (its history entry)");
      }
      if (!busybox && files == null && text.isEmpty() && dirs.isEmpty() && debootstrap == null
          && apt.isEmpty()) {
        throw new IllegalArgumentException("layer \"" + createdBy + "\" has no content: give"
            + " busybox, files, text, dirs, debootstrap or apt");
      }
    }

    /** Whether the layer's metadata comes from real tools rather than from the recipe. */
    boolean captured() {
      return debootstrap != null || !apt.isEmpty();
    }
  }

  /**
   * A directory to create in a layer.
   *
   * @param path relative to the layer root
   * @param mode octal permission bits, {@code 755} when absent
   * @param owner {@code uid:gid}, {@code 0:0} when absent
   */
  record DirSpec(String path, String mode, String owner) {
    DirSpec {
      mode = mode == null ? "755" : mode;
      owner = owner == null ? "0:0" : owner;
      if (path == null || path.isBlank()) {
        throw new IllegalArgumentException("a dir needs a \"path\"");
      }
      if (!mode.matches("[0-7]{3,4}")) {
        throw new IllegalArgumentException("dir " + path + ": mode must be octal like 755, not " + mode);
      }
      if (!owner.matches("\\d+:\\d+")) {
        throw new IllegalArgumentException("dir " + path + ": owner must be uid:gid, not " + owner);
      }
    }
  }

  /** {@code debootstrap --variant=<variant> <suite> <dir> <mirror>}. */
  record Debootstrap(String suite, String variant, String mirror) {
    Debootstrap {
      if (suite == null || variant == null || mirror == null) {
        throw new IllegalArgumentException("debootstrap needs suite, variant and mirror");
      }
    }
  }
}
