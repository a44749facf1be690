package dev.berth.internal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The committed syscall tables agree with the kernel headers of linux-libc-dev (regenerate them
 * with scripts/gen-syscall-tables.sh when this fails after a header upgrade).
 */
class SyscallTableTest {
  private static final Pattern DEFINE = Pattern.compile("#define __NR(3264)?_(\\w+)\\s+(\\w+)");

  /** Plain `#define __NR_x N` and the generic header's `#define __NR_x __NR3264_x` indirections. */
  private static Map<String, Integer> header(String path) throws IOException {
    Path p = Path.of(path);
    assumeTrue(Files.isReadable(p), "needs the kernel headers " + path + " (apt-get install linux-libc-dev)");
    Map<String, Integer> numbers = new HashMap<>(), indirect = new HashMap<>();
    Matcher m = DEFINE.matcher(Files.readString(p));
    while (m.find()) {
      String key = (m.group(1) != null ? "3264_" : "") + m.group(2), value = m.group(3);
      if (value.matches("\\d+")) numbers.put(key, Integer.parseInt(value));
      else if (value.startsWith("__NR3264_")) indirect.put(key, numbers.get(value.substring(4)));
    }
    numbers.putAll(indirect);
    return numbers;
  }

  @Test
  void x86_64_matchesUnistd64() throws IOException {
    Map<String, Integer> header = header("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    assertThat(Arch.X86_64.syscalls()).isEqualTo(header);
  }

  @Test
  void aarch64_everyEntryMatchesTheGenericHeader() throws IOException {
    Map<String, Integer> header = header("/usr/include/asm-generic/unistd.h");
    assertThat(Arch.AARCH64.syscalls()).hasSizeGreaterThan(290);
    assertThat(Arch.AARCH64.syscalls()).allSatisfy((name, nr) -> assertThat(header.get(name)).as(name).isEqualTo(nr));
  }
}
