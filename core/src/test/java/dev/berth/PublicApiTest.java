package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guards the public API: {@code core/api/berth-core.api} lists every public and protected
 * signature of the exported packages, and the build fails when the compiled classes say
 * otherwise. An intended change regenerates the file ({@code -Dberth.api.update=true}) and
 * commits it with the change, so every API change shows in review.
 */
class PublicApiTest {
  static final String UPDATE_PROPERTY = "berth.api.update";
  static final String REGENERATE = "mvn -B -q -ntp -pl core -am verify -Dtest=PublicApiTest"
      + " -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE_PROPERTY + "=true";

  @Test
  void api_matchesTheCheckedInFile() throws IOException {
    Path classes = classesDir();
    Path file = classes.getParent().getParent().resolve("api").resolve("berth-core.api");
    List<String> actual = new ArrayList<>(fileHeader());
    actual.addAll(ApiDump.of(classes));
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.createDirectories(file.getParent());
      Files.write(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(file).as("the API file is missing; generate it with\n  " + REGENERATE).exists();
    List<String> diff = ApiDump.diff(Files.readAllLines(file, StandardCharsets.UTF_8), actual);
    assertThat(diff).as(() -> "The public API of berth-core is not what " + file + " says"
        + " (- only in the file, + only in the compiled code):\n" + String.join("\n", diff)
        + "\n\nIf this change is intended, regenerate the file and commit it with the change:\n  "
        + REGENERATE + "\n").isEmpty();
  }

  @Test
  void api_namesNoInternalType() {
    assertThat(ApiDump.of(classesDir())).noneMatch(line -> line.contains("dev.berth.internal."));
  }

  @Test
  void exportedPackages_areThoseOfModuleInfo() {
    assertThat(ApiDump.exportedPackages(classesDir())).containsExactly("dev.berth", "dev.berth.junit");
  }

  @Test
  void dump_listsPublicAndProtectedMembersOnly() {
    assertThat(ApiDump.describe(Sample.class)).containsExactly(
        "public static class dev.berth.PublicApiTest$Sample {",
        "  public dev.berth.PublicApiTest$Sample()",
        "  public static final int LIMIT",
        "  public java.lang.String name(int) throws java.io.IOException",
        "  protected final <T extends java.lang.Comparable<T>> java.util.List<T> sorted(T...)",
        "}");
  }

  @Test
  void dump_ofAClassWithAPackagePrivateSuperclass_listsItsInheritedMembersAsItsOwn() {
    assertThat(ApiDump.describe(Shown.class)).containsExactly(
        "public static final class dev.berth.PublicApiTest$Shown implements java.lang.Runnable {",
        "  public dev.berth.PublicApiTest$Shown()",
        "  public static final int MAX",
        "  public dev.berth.PublicApiTest$Shown count(int)",
        "  public void run()",
        "  public java.lang.String value()",
        "}");
    assertThat(ApiDump.of(List.of(HiddenBase.class))).isEmpty();
  }

  @Test
  void diff_ofAChangedMethod_showsOldAndNewLineUnderTheirType() {
    List<String> baseline = ApiDump.of(List.of(Image.class, Digest.class));
    List<String> changed = new ArrayList<>(baseline);
    String pull = "  public static dev.berth.Image pull(java.lang.String)";
    assertThat(changed).contains(pull);
    changed.set(changed.indexOf(pull), "  public static dev.berth.Image pull(java.lang.CharSequence)");

    assertThat(ApiDump.diff(baseline, changed)).containsExactly(
        "  public final class dev.berth.Image {",
        "- " + pull,
        "+   public static dev.berth.Image pull(java.lang.CharSequence)");
  }

  @Test
  void diff_ofANewType_showsItWhole() {
    List<String> baseline = ApiDump.of(List.of(Digest.class));
    List<String> added = ApiDump.of(List.of(Digest.class, Platform.class));

    assertThat(ApiDump.diff(baseline, added))
        .contains("+ public final record dev.berth.Platform {")
        .allMatch(line -> line.startsWith("+ "));
    assertThat(ApiDump.diff(added, added)).isEmpty();
  }

  private static List<String> fileHeader() {
    return List.of(
        "# The public API of berth-core: every public and protected type and member of the",
        "# packages that module-info exports. PublicApiTest fails when the code differs; after an",
        "# intended change, regenerate this file and commit it with the change:",
        "#   " + REGENERATE,
        "");
  }

  /** target/classes, where the main classes were compiled (the tests run on the class path). */
  private static Path classesDir() {
    try {
      return Path.of(Image.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A package-private superclass, as AbstractRunOptionsBuilder is to RunOptionsBuilder. */
  abstract static class HiddenBase implements Runnable {
    public static final int MAX = 2;
    int calls;

    public Shown count(int n) {
      calls += n;
      return (Shown) this;
    }

    public Object value() {
      return calls;
    }

    @Override
    public void run() {
      calls++;
    }

    void packagePrivate() {}
  }

  /** A public class whose public members are mostly HiddenBase's; value() overrides one. */
  public static final class Shown extends HiddenBase {
    @Override
    public String value() {
      return "calls: " + calls;
    }
  }

  /** A type with one member of each visibility, for what the dump keeps. */
  public static class Sample {
    public static final int LIMIT = 3;
    int hidden;
    private String secret;

    public String name(int i) throws IOException {
      return secret + i + hidden;
    }

    @SafeVarargs
    protected final <T extends Comparable<T>> List<T> sorted(T... items) {
      return List.of(items);
    }

    void packagePrivate() {}

    private void hiddenToo() {}
  }
}
