import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Central's rules on an unpacked release bundle (a Maven repository layout), as scripts/check-release
 * runs it: {@code java CheckReleaseBundle.java DIR VERSION group:artifact...} (the artifacts that
 * must be there, and the only ones). Prints each check; exits 1 when any fails.
 */
public class CheckReleaseBundle {
  static final List<String> failures = new ArrayList<>();
  static int checks;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String version = args[1];
    var expected = new TreeSet<String>(List.of(args).subList(2, args.length));

    if (version.contains("SNAPSHOT")) fail("version " + version + " is a SNAPSHOT");
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      if (dir.relativize(f).toString().contains("SNAPSHOT")) fail("SNAPSHOT in a file name: " + f);
    }

    // group:artifact -> its version folder
    var found = new TreeMap<String, Path>();
    for (Path f : files) {
      if (f.toString().endsWith(".pom")) {
        Path versionDir = f.getParent();
        Path artifactDir = versionDir.getParent();
        String group = dir.relativize(artifactDir.getParent()).toString().replace('/', '.');
        found.put(group + ":" + artifactDir.getFileName(), versionDir);
      }
    }
    check(found.keySet().equals(expected), "the bundle holds exactly " + expected + " (has " + found.keySet() + ")");

    Map<String, Document> poms = new TreeMap<>();
    for (var e : found.entrySet()) {
      String artifact = e.getKey().substring(e.getKey().indexOf(':') + 1);
      Path vdir = e.getValue();
      check(vdir.getFileName().toString().equals(version), e.getKey() + " is version " + version);
      String base = artifact + "-" + version;
      Path pom = vdir.resolve(base + ".pom");
      if (!Files.isRegularFile(pom)) {
        fail(e.getKey() + " has no " + base + ".pom (in " + dir.relativize(vdir) + ")");
        continue;
      }
      check(!Files.readString(pom).contains("SNAPSHOT"), e.getKey() + " POM names no SNAPSHOT");
      Document doc = parse(pom);
      poms.put(e.getKey(), doc);
      String packaging = text(doc.getDocumentElement(), "packaging");
      if (packaging == null) packaging = "jar";
      var required = new ArrayList<String>(List.of(base + ".pom"));
      if (packaging.equals("jar")) {
        required.addAll(List.of(base + ".jar", base + "-sources.jar", base + "-javadoc.jar"));
      }
      for (String name : required) {
        check(Files.isRegularFile(vdir.resolve(name)), e.getKey() + " (" + packaging + ") has " + name);
      }
      if (packaging.equals("jar")) {
        checkJar(vdir.resolve(base + ".jar"), List.of("META-INF/LICENSE", "META-INF/NOTICE", "META-INF/MANIFEST.MF"));
        checkJar(vdir.resolve(base + "-sources.jar"), List.of("META-INF/LICENSE", "META-INF/NOTICE"));
        checkJar(vdir.resolve(base + "-javadoc.jar"), List.of("index.html"));
      }
    }

    // every file: a signature gpg accepts and checksums that match
    int signed = 0;
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(".asc") || name.endsWith(".md5") || name.endsWith(".sha1")
          || name.endsWith(".sha256") || name.endsWith(".sha512")) {
        continue;
      }
      byte[] bytes = Files.readAllBytes(f);
      checkSum(f, bytes, "md5", "MD5");
      checkSum(f, bytes, "sha1", "SHA-1");
      Path asc = Path.of(f + ".asc");
      if (!Files.isRegularFile(asc)) {
        fail("no signature " + dir.relativize(asc));
        continue;
      }
      Process p = new ProcessBuilder("gpg", "--batch", "--verify", asc.toString(), f.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        fail("gpg --verify " + dir.relativize(asc) + ":\n" + out);
      } else {
        checks++;
        signed++;
      }
    }
    System.out.println("  ok: " + signed + " files with a good gpg signature, .md5 and .sha1 that match");

    // POM metadata Central asks for: own or inherited from a parent in the bundle
    for (var e : poms.entrySet()) {
      Element project = e.getValue().getDocumentElement();
      Element parent = child(project, "parent");
      Element parentProject = null;
      if (parent != null) {
        String key = text(parent, "groupId") + ":" + text(parent, "artifactId");
        Document pd = poms.get(key);
        check(pd != null, e.getKey() + "'s parent " + key + " is in the bundle");
        check(version.equals(text(parent, "version")), e.getKey() + "'s parent is version " + version);
        if (pd != null) parentProject = pd.getDocumentElement();
      }
      for (String path : List.of("name", "description", "url", "licenses/license/name", "licenses/license/url",
          "developers/developer/name", "scm/url", "scm/connection", "scm/developerConnection")) {
        boolean own = path.equals("name") || path.equals("description");
        String v = text(project, path);
        if (v == null && !own && parentProject != null) v = text(parentProject, path);
        check(v != null && !v.isBlank(), e.getKey() + " POM has " + path + (own ? "" : " (own or inherited)"));
      }
    }

    if (!failures.isEmpty()) {
      System.out.println("FAIL: " + failures.size() + " of " + checks + " checks:");
      failures.forEach(f -> System.out.println("  - " + f));
      System.exit(1);
    }
    System.out.println("  ok: " + checks + " checks on " + found.size() + " artifacts, " + files.size() + " files");
  }

  static void checkJar(Path jar, List<String> entries) throws IOException {
    if (!Files.isRegularFile(jar)) return; // already reported missing
    try (var z = new ZipFile(jar.toFile())) {
      for (String entry : entries) {
        check(z.getEntry(entry) != null, jar.getFileName() + " has " + entry);
      }
    }
  }

  static void checkSum(Path f, byte[] bytes, String ext, String algorithm) throws Exception {
    Path sum = Path.of(f + "." + ext);
    if (!Files.isRegularFile(sum)) {
      fail("no checksum " + sum.getFileName());
      return;
    }
    String want = HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    String have = Files.readString(sum).trim().split("\\s+")[0].toLowerCase();
    check(want.equals(have), sum.getFileName() + " matches");
  }

  static Document parse(Path pom) throws Exception {
    var f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(pom)));
  }

  static Element child(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) return c;
    }
    return null;
  }

  /** The text at a slash-separated path of direct children, or null. */
  static String text(Element e, String path) {
    Element cur = e;
    for (String part : path.split("/")) {
      cur = child(cur, part);
      if (cur == null) return null;
    }
    return cur.getTextContent().trim();
  }

  static void check(boolean ok, String what) {
    checks++;
    if (!ok) fail(what);
  }

  static void fail(String what) {
    failures.add(what);
  }
}
