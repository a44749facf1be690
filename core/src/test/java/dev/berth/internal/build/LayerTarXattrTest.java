package dev.berth.internal.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Xattrs;
import dev.berth.testsupport.Commands;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer tars carry xattrs (file capabilities above all) in a form GNU tar and Go tools read. */
class LayerTarXattrTest {
  /** VFS_CAP_REVISION_2, permitted cap_setuid (7) and cap_net_raw (13): 0x80 is not UTF-8. */
  private static final byte[] CAPS = {0x01, 0x00, 0x00, 0x02, (byte) 0x80, 0x20, 0x00, 0x00,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  @TempDir Path dir;
  Path layer;
  Path out;

  @BeforeEach
  void dirs() throws Exception {
    assumeTrue(Linux.isRoot(), "setting security.capability needs CAP_SETFCAP");
    Commands.assumeInstalled("tar");
    layer = Files.createDirectories(dir.resolve("layer"));
    out = Files.createDirectories(dir.resolve("out"));
  }

  private void writeAndExtract() throws Exception {
    Path tar = dir.resolve("layer.tar");
    try (OutputStream o = Files.newOutputStream(tar)) {
      new LayerTar(layer, null).write(o);
    }
    Commands.ok("tar", "--xattrs", "--xattrs-include=*", "-xpf", tar.toString(),
        "-C", out.toString());
  }

  @Test
  void fileCapability_binaryValue_survivesGnuTarByteForByte() throws Exception {
    Path ping = Files.createDirectories(layer.resolve("bin")).resolve("ping");
    Files.writeString(ping, "binary");
    Xattrs.lsetxattr(ping.toString(), "security.capability", CAPS);

    writeAndExtract();

    assertThat(Xattrs.lgetxattr(out.resolve("bin/ping").toString(), "security.capability"))
        .containsExactly(CAPS);
    assertThat(out.resolve("bin/ping")).hasContent("binary");
  }

  @Test
  void xattrOnALongNonAsciiName_keepsTheFullName() throws Exception {
    String name = "d/" + "ü".repeat(60) + "-" + "x".repeat(60);
    Path f = layer.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, "long");
    Xattrs.lsetxattr(f.toString(), "user.note", "kept".getBytes());

    writeAndExtract();

    assertThat(out.resolve(name)).hasContent("long");
    assertThat(Xattrs.lgetxattr(out.resolve(name).toString(), "user.note"))
        .containsExactly("kept".getBytes());
  }

  @Test
  void xattrOnADirectory_isKeptAndItsChildrenStayInside() throws Exception {
    Path d = Files.createDirectories(layer.resolve("etc/conf.d"));
    Files.writeString(d.resolve("a"), "a");
    Xattrs.lsetxattr(d.toString(), "user.dir", "yes".getBytes());

    writeAndExtract();

    assertThat(Xattrs.lgetxattr(out.resolve("etc/conf.d").toString(), "user.dir"))
        .containsExactly("yes".getBytes());
    assertThat(out.resolve("etc/conf.d/a")).hasContent("a");
  }
}
