package dev.berth.internal.manifest;

import dev.berth.ImageNotFoundException;
import dev.berth.Platform;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the manifest for a platform from an index, by containerd's rules for one CPU architecture:
 * os and architecture must match; a CPU runs code for older variants of itself, and the exact
 * variant is preferred over an older one.
 *
 * <ul>
 *   <li>{@code arm64}: no variant means {@code v8}; {@code v8.2} runs {@code v8.1} and {@code v8};
 *       {@code v9.N} runs {@code v9.*} and {@code v8.(N+5)} down.
 *   <li>{@code arm}: no variant means {@code v7}; {@code v7} runs {@code v6} and {@code v5}.
 *   <li>{@code amd64}: no variant means {@code v1}; {@code v3} runs {@code v2} and {@code v1}.
 *   <li>Architecture aliases are read as Go names: {@code x86_64}, {@code aarch64}, {@code armhf}.
 * </ul>
 *
 * <p>Entries for os {@code unknown} (buildkit's attestations) and entries that are not image
 * manifests are never picked.
 */
public final class PlatformMatcher {
  private static final Pattern ARM64_VERSION = Pattern.compile("v(\\d+)(?:\\.(\\d+))?");
  private static final Pattern NUMBERED = Pattern.compile("v(\\d+)");

  private PlatformMatcher() {}

  /**
   * @param index the index or manifest list
   * @param wanted the platform to run on, e.g. {@link Platform#current()}
   * @param reference the image, named in the error, e.g. {@code docker.io/library/node:latest}
   * @return the entry for the best-matching platform, the first of equals
   * @throws ImageNotFoundException listing the wanted platform and the available ones, when no
   *     entry can run on the wanted platform
   */
  public static Descriptor select(ImageIndex index, Platform wanted, String reference) {
    Key want = Key.of(wanted.os(), wanted.architecture(), wanted.variant());
    List<String> acceptable = acceptableVariants(want);
    Descriptor best = null;
    int bestRank = Integer.MAX_VALUE;
    for (Descriptor entry : candidates(index)) {
      Key have = Key.of(entry.platform().os(), entry.platform().architecture(),
          entry.platform().variant());
      int rank = have.os.equals(want.os) && have.arch.equals(want.arch)
          ? acceptable.indexOf(have.variant)
          : -1;
      if (rank >= 0 && rank < bestRank) {
        best = entry;
        bestRank = rank;
      }
    }
    if (best == null) {
      throw new ImageNotFoundException(reference, "no image for " + wanted + " in " + reference
          + "; available: " + available(index));
    }
    return best;
  }

  private static List<Descriptor> candidates(ImageIndex index) {
    List<Descriptor> out = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      boolean manifest = d.mediaType() == null || MediaTypes.isImageManifest(d.mediaType());
      PlatformSpec p = d.platform();
      if (manifest && p != null && p.os() != null && p.architecture() != null
          && !"unknown".equals(p.os())) {
        out.add(d);
      }
    }
    return out;
  }

  private static String available(ImageIndex index) {
    Set<String> names = new LinkedHashSet<>();
    candidates(index).forEach(d -> names.add(d.platform().toString()));
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** The variants a CPU of {@code want} runs, best first (normalised spelling). */
  static List<String> acceptableVariants(Key want) {
    return switch (want.arch) {
      case "arm64" -> arm64Variants(want.variant);
      case "arm" -> countDown(want.variant, 5);
      case "amd64" -> amd64Variants(want.variant);
      default -> List.of(want.variant);
    };
  }

  /** {@code vN} down to {@code v<lowest>}; just the variant when it is not {@code vN}. */
  private static List<String> countDown(String variant, int lowest) {
    Matcher m = NUMBERED.matcher(variant);
    if (!m.matches()) {
      return List.of(variant);
    }
    List<String> out = new ArrayList<>();
    for (int v = Integer.parseInt(m.group(1)); v >= lowest; v--) {
      out.add("v" + v);
    }
    return out;
  }

  private static List<String> amd64Variants(String variant) {
    List<String> out = new ArrayList<>(countDown(variant, 2));
    if (NUMBERED.matcher(variant).matches()) {
      out.add(""); // v1, spelled "" once normalised
    }
    return out;
  }

  private static List<String> arm64Variants(String variant) {
    Matcher m = ARM64_VERSION.matcher(variant);
    if (variant.isEmpty() || !m.matches()) {
      return List.of(variant);
    }
    int major = Integer.parseInt(m.group(1));
    int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    List<String> out = new ArrayList<>();
    int v8Minor = minor;
    if (major == 9) {
      for (int n = minor; n >= 0; n--) {
        out.add(n == 0 ? "v9" : "v9." + n);
      }
      v8Minor = Math.min(minor + 5, 9); // Armv9.N includes Armv8.(N+5)
    } else if (major != 8) {
      return List.of(variant);
    }
    for (int n = v8Minor; n >= 1; n--) {
      out.add("v8." + n);
    }
    out.add(""); // v8
    return out;
  }

  /** A platform in containerd's normal spelling, so that equal platforms compare equal. */
  record Key(String os, String arch, String variant) {
    static Key of(String os, String arch, String variant) {
      String a = arch.toLowerCase(Locale.ROOT);
      String v = variant == null ? "" : variant.toLowerCase(Locale.ROOT);
      return switch (a) {
        case "x86_64", "x86-64", "amd64" -> new Key(os, "amd64", v.equals("v1") ? "" : v);
        case "aarch64", "arm64" -> new Key(os, "arm64", arm64Variant(v));
        case "armhf" -> new Key(os, "arm", "v7");
        case "armel" -> new Key(os, "arm", "v6");
        case "arm" -> new Key(os, "arm", armVariant(v));
        case "i386", "i686" -> new Key(os, "386", "");
        default -> new Key(os, a, v);
      };
    }

    private static String arm64Variant(String v) {
      return switch (v) {
        case "8", "v8", "v8.0" -> "";
        case "9", "9.0", "v9.0" -> "v9";
        default -> v;
      };
    }

    private static String armVariant(String v) {
      return switch (v) {
        case "", "7" -> "v7";
        case "5", "6", "8" -> "v" + v;
        default -> v;
      };
    }
  }
}
