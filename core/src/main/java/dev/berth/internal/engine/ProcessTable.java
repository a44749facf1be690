package dev.berth.internal.engine;

import dev.berth.ContainerTop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ps -ef} for a set of host pids, read from /proc as procps reads it: what
 * {@code docker top} shows (Docker runs {@code ps -ef} on the host and keeps the container's
 * rows). A process that ends while it is read is left out.
 */
final class ProcessTable {
  static final List<String> TITLES = List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
  /** USER_HZ: 100 on every architecture Linux runs Berth on. */
  private static final long TICKS = 100;

  private ProcessTable() {}

  static ContainerTop of(List<Long> pids) {
    Instant boot = bootTime();
    Map<Long, String> users = hostUsers();
    List<List<String>> rows = new ArrayList<>();
    for (long pid : pids.stream().sorted().toList()) {
      List<String> row = row(pid, boot, users);
      if (row != null) {
        rows.add(row);
      }
    }
    return new ContainerTop(TITLES, rows);
  }

  private static List<String> row(long pid, Instant boot, Map<Long, String> users) {
    Path proc = Path.of("/proc", Long.toString(pid));
    String stat;
    String status;
    byte[] cmdline;
    try {
      stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
      status = Files.readString(proc.resolve("status"), StandardCharsets.UTF_8);
      cmdline = Files.readAllBytes(proc.resolve("cmdline"));
    } catch (IOException gone) {
      return null;
    }
    // comm may hold spaces and parentheses: the fields start after the last ')'
    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ppid = Long.parseLong(f[1]);
    int tty = Integer.parseInt(f[4]);
    long cpuTicks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    Instant started = boot.plusMillis(Long.parseLong(f[19]) * 1000 / TICKS);
    long elapsedMillis = Math.max(1, Instant.now().toEpochMilli() - started.toEpochMilli());
    long c = Math.min(99, cpuTicks * 1000 / TICKS * 100 / elapsedMillis);
    long uid = effectiveUid(status);
    return List.of(users.getOrDefault(uid, Long.toString(uid)), Long.toString(pid),
        Long.toString(ppid), Long.toString(c), stime(started), tty(tty), cpuTime(cpuTicks / TICKS),
        command(cmdline, comm));
  }

  private static long effectiveUid(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:")) {
        return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
      }
    }
    return -1;
  }

  /** procps: the time when it started today, else month and day, else the year. */
  static String stime(Instant started) {
    LocalDateTime t = LocalDateTime.ofInstant(started, ZoneId.systemDefault());
    LocalDateTime now = LocalDateTime.now();
    if (t.toLocalDate().equals(now.toLocalDate())) {
      return t.format(DateTimeFormatter.ofPattern("HH:mm"));
    }
    if (t.getYear() == now.getYear()) {
      return t.format(DateTimeFormatter.ofPattern("MMMdd", Locale.ENGLISH));
    }
    return Integer.toString(t.getYear());
  }

  /** The terminal from its device number: pts/N, ttyN, or "?" for none. */
  static String tty(int ttyNr) {
    int major = (ttyNr >> 8) & 0xfff;
    int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
    if (ttyNr == 0) {
      return "?";
    }
    if (major >= 136 && major <= 143) {
      return "pts/" + (minor + (major - 136) * 256);
    }
    if (major == 4) {
      return "tty" + minor;
    }
    return major + "," + minor;
  }

  /** [DD-]HH:MM:SS, as ps's TIME. */
  static String cpuTime(long seconds) {
    long days = seconds / 86400;
    String hms = String.format("%02d:%02d:%02d", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    return days > 0 ? days + "-" + hms : hms;
  }

  /** The argv with spaces, or [comm] for a process without one (a kernel thread, a zombie). */
  static String command(byte[] cmdline, String comm) {
    String s = new String(cmdline, StandardCharsets.UTF_8);
    while (s.endsWith("\0")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.isEmpty() ? "[" + comm + "]" : s.replace('\0', ' ');
  }

  private static Instant bootTime() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("btime ")) {
          return Instant.ofEpochSecond(Long.parseLong(line.substring(6).trim()));
        }
      }
    } catch (IOException e) {
      // below
    }
    return Instant.EPOCH;
  }

  /** The host's user names, as ps shows them (the container's own /etc/passwd does not count). */
  private static Map<Long, String> hostUsers() {
    Map<Long, String> users = new HashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
        String[] p = line.split(":");
        if (p.length > 2 && p[2].matches("\\d+")) {
          users.putIfAbsent(Long.parseLong(p[2]), p[0]);
        }
      }
    } catch (IOException e) {
      // numbers then
    }
    return users;
  }
}
