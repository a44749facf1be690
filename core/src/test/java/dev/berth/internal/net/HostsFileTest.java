package dev.berth.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsFileTest {
  @TempDir Path tmp;

  @Test
  void render_withPeers_listsSelfThenPeers() {
    String text = HostsFile.render("web", new HostsFile.Entry("10.89.0.2", List.of("web", "www")),
        List.of(new HostsFile.Entry("10.89.0.3", List.of("db"))));
    assertThat(text).endsWith("10.89.0.2\tweb www\n10.89.0.3\tdb\n").startsWith("127.0.0.1\tlocalhost\n");
  }

  @Test
  void render_withoutNetwork_mapsTheHostNameTo127011() {
    assertThat(HostsFile.render("box", null, List.of())).endsWith("127.0.1.1\tbox\n");
  }

  @Test
  void writeInPlace_keepsTheInode() throws Exception {
    Path f = tmp.resolve("hosts");
    Files.writeString(f, "a much longer old content than the new one\n");
    Object inode = Files.getAttribute(f, "unix:ino");
    HostsFile.writeInPlace(f, "new\n");
    assertThat(Files.readString(f)).isEqualTo("new\n");
    assertThat(Files.getAttribute(f, "unix:ino")).isEqualTo(inode);
  }
}
