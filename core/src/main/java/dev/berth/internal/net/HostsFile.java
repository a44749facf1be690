package dev.berth.internal.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.util.List;

/** A container's /etc/hosts: localhost, its own name, and its peers on a user-defined network. */
public final class HostsFile {
  private HostsFile() {}

  /** One line: an address and its names. */
  public record Entry(String address, List<String> names) {
    public Entry {
      names = List.copyOf(names);
    }
  }

  /** @param self the container's own address and names, or null for 127.0.1.1 and the host name */
  public static String render(String hostname, Entry self, List<Entry> peers) {
    StringBuilder b = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    Entry own = self != null ? self : new Entry("127.0.1.1", List.of(hostname));
    for (Entry e : concat(own, peers)) b.append(e.address()).append('\t').append(String.join(" ", e.names())).append('\n');
    return b.toString();
  }

  private static List<Entry> concat(Entry first, List<Entry> rest) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
  }

  /**
   * Replaces the file's content in place (same inode): a running container has it bind-mounted,
   * and a rename would leave it seeing the old file.
   */
  public static void writeInPlace(Path file, String content) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
      ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
      ch.truncate(0);
      for (long pos = 0; buf.hasRemaining(); ) pos += ch.write(buf, pos);
    }
  }
}
