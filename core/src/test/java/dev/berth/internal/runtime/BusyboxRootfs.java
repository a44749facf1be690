package dev.berth.internal.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Test fixture: a minimal root file system made of the host's static busybox and its applets. */
public final class BusyboxRootfs {
  public static final Path HOST_BUSYBOX = Path.of("/bin/busybox");

  private BusyboxRootfs() {}

  /** @return whether the host has a busybox that runs without libraries */
  public static boolean available() {
    return Files.isExecutable(HOST_BUSYBOX);
  }

  /** Fills dir with bin/busybox, a symlink per applet, the usual empty directories and a non-executable /data.txt. */
  public static Path create(Path dir) throws IOException, InterruptedException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(HOST_BUSYBOX, bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
    Process list = new ProcessBuilder(HOST_BUSYBOX.toString(), "--list").start();
    String applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (list.waitFor() != 0) throw new IOException("busybox --list failed");
    for (String applet : applets.split("\n")) {
      Path link = bin.resolve(applet);
      // the list names busybox itself; linking it would replace the binary with a loop
      if (!applet.isBlank() && !applet.equals("busybox") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of("busybox"));
      }
    }
    for (String d : new String[] {"proc", "sys", "dev", "etc", "tmp", "root"}) Files.createDirectories(dir.resolve(d));
    Path data = dir.resolve("data.txt");
    Files.writeString(data, "not a program\n");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rw-r--r--"));
    return dir;
  }
}
