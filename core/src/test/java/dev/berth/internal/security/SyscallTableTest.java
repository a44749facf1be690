package dev.berth.internal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * The arm64 kernel's own headers, as the cross compiler the build uses sees them
   * ({@code libc6-dev-arm64-cross}): every {@code __NR_} name, its value computed by that compiler
   * into assembly ({@code .word N+1}, so no zero lands in .bss), nothing run.
   */
  @Test
  void aarch64_matchesTheArm64HeadersExactly(@TempDir Path tmp) throws Exception {
    Path probe = Files.writeString(tmp.resolve("names.c"), "#include <asm/unistd.h>\n");
    List<String> names = crossGcc(tmp, "-E", "-dM", probe.toString()).lines()
        .map(l -> l.matches("#define __NR_[a-z0-9_]+ .*") ? l.split(" ")[1].substring(5) : null)
        .filter(n -> n != null && !n.equals("syscalls") && !n.equals("arch_specific_syscall")).sorted().toList();
    StringBuilder c = new StringBuilder("#include <asm/unistd.h>\n");
    names.forEach(n -> c.append("int nr_").append(n).append(" = __NR_").append(n).append(" + 1;\n"));
    Path src = Files.writeString(tmp.resolve("numbers.c"), c);
    crossGcc(tmp, "-S", "-o", tmp.resolve("numbers.s").toString(), src.toString());
    Map<String, Integer> header = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^nr_(\\w+):\\s*\\.word\\s+(\\d+)$").matcher(Files.readString(tmp.resolve("numbers.s")));
    while (m.find()) header.put(m.group(1), Integer.parseInt(m.group(2)) - 1);
    assertThat(header).hasSize(names.size());
    assertThat(Arch.AARCH64.syscalls()).isEqualTo(header);
  }

  private static String crossGcc(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("aarch64-linux-gnu-gcc"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("aarch64-linux-gnu-gcc (gcc-aarch64-linux-gnu, scripts/lib/deps.sh): " + out).isZero();
    return out;
  }

  @Test
  void aarch64_everyEntryMatchesTheGenericHeader() throws IOException {
    Map<String, Integer> header = header("/usr/include/asm-generic/unistd.h");
    assertThat(Arch.AARCH64.syscalls()).hasSizeGreaterThan(290);
    assertThat(Arch.AARCH64.syscalls()).allSatisfy((name, nr) -> assertThat(header.get(name)).as(name).isEqualTo(nr));
  }
}
