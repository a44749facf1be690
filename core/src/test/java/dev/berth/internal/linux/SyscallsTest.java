package dev.berth.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyscallsTest {
  @TempDir Path tmp;
  private int dirFd;

  @BeforeEach
  void openDir() {
    dirFd = Syscalls.openat(Fcntl.AT_FDCWD, tmp.toString(), Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC, 0);
  }

  @AfterEach
  void closeDir() {
    Syscalls.close(dirFd);
  }

  @Test
  void mkdirat_existing_throwsWithErrnoCallAndPath() {
    Syscalls.mkdirat(dirFd, "d", 0755);

    assertThatThrownBy(() -> Syscalls.mkdirat(dirFd, "d", 0755))
        .isInstanceOf(LinuxException.class)
        .hasMessage("mkdirat(\"d\") failed: EEXIST (File exists)")
        .satisfies(e -> assertThat(((LinuxException) e).errno()).isEqualTo(Errno.EEXIST));
  }

  @Test
  void copyRest_copiesTheWholeInput_inTheKernel() throws Exception {
    byte[] data = new byte[3 << 20];
    new java.util.Random(7).nextBytes(data);
    Path in = Files.write(tmp.resolve("in"), data);
    Path out = tmp.resolve("out");
    int from = Syscalls.openat(Fcntl.AT_FDCWD, in.toString(), Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0);
    int to = Syscalls.openat(Fcntl.AT_FDCWD, out.toString(), Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_CLOEXEC, 0600);
    try {
      Syscalls.copyRest(to, from, "a test file");
    } finally {
      Syscalls.close(from);
      Syscalls.close(to);
    }

    assertThat(Files.readAllBytes(out)).isEqualTo(data);
  }

  @Test
  void copyRest_toAnFdNotOpenForWriting_throwsNamingTheCopy() throws Exception {
    Path in = Files.writeString(tmp.resolve("in"), "x");
    int from = Syscalls.openat(Fcntl.AT_FDCWD, in.toString(), Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0);
    try {
      assertThatThrownBy(() -> Syscalls.copyRest(dirFd, from, "a test file"))
          .isInstanceOf(LinuxException.class).hasMessageContaining("sendfile").hasMessageContaining("a test file");
    } finally {
      Syscalls.close(from);
    }
  }

  @Test
  void openInRoot_symlinkToSlash_staysInsideRoot() throws Exception {
    Files.createSymbolicLink(tmp.resolve("escape"), Path.of("/"));
    Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(tmp.resolve("etc/hostname"), "inside");

    int fd = Syscalls.openInRoot(dirFd, "escape/etc/hostname", Fcntl.O_RDONLY | Fcntl.O_CLOEXEC);
    try {
      assertThat(Syscalls.statx(fd, "", Fcntl.AT_EMPTY_PATH).ino())
          .isEqualTo(Files.getAttribute(tmp.resolve("etc/hostname"), "unix:ino"));
    } finally {
      Syscalls.close(fd);
    }
  }

  @Test
  void write_directBuffer_writesTheBytesToTheFile() throws Exception {
    int fd = Syscalls.openat(dirFd, "f", Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_CLOEXEC, 0644);
    ByteBuffer buf = ByteBuffer.allocateDirect(16).put("hello".getBytes(StandardCharsets.UTF_8)).flip();
    try {
      assertThat(Syscalls.write(fd, buf, 5, "f")).isEqualTo(5);
    } finally {
      Syscalls.close(fd);
    }
    assertThat(Files.readString(tmp.resolve("f"))).isEqualTo("hello");
  }

  @Test
  void listDir_returnsNamesWithoutDots() throws Exception {
    Files.createDirectory(tmp.resolve("sub"));
    Files.writeString(tmp.resolve("ünïcode"), "");

    assertThat(Syscalls.listDir(dirFd, "tmp"))
        .containsExactlyInAnyOrder(new DirEntry("sub", DirEntry.DT_DIR), new DirEntry("ünïcode", 8));
  }

  @Test
  void lsetxattr_userXattr_readsBack() throws Exception {
    Path f = Files.writeString(tmp.resolve("x"), "");
    Xattrs.lsetxattr(f.toString(), "user.test", new byte[] {1, 2, 0, 3});

    assertThat(Xattrs.lgetxattr(f.toString(), "user.test")).containsExactly(1, 2, 0, 3);
    assertThat(Xattrs.llistxattr(f.toString())).contains("user.test");
  }

  @Test
  void lgetxattr_missing_returnsNull() throws Exception {
    Path f = Files.writeString(tmp.resolve("x"), "");

    assertThat(Xattrs.lgetxattr(f.toString(), "user.absent")).isNull();
  }

  @Test
  void statx_symlink_reportsLinkItself() throws Exception {
    Files.createSymbolicLink(tmp.resolve("l"), Path.of("nowhere"));

    assertThat(Syscalls.statx(dirFd, "l", Fcntl.AT_SYMLINK_NOFOLLOW).isSymlink()).isTrue();
    assertThat(Syscalls.readlinkat(dirFd, "l")).isEqualTo("nowhere");
  }

  @Test
  void makedev_largeNumbers_matchGlibcEncoding() {
    assertThat(Syscalls.makedev(1, 3)).isEqualTo(0x103L);
    assertThat(Syscalls.makedev(0x1234, 0x5678)).isEqualTo(0x1000_0562_3478L);
  }

  @Test
  void pidfd_signalsItsProcess_andFailsOnceItIsGone() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    int pidfd = Syscalls.pidfdOpen((int) sleeper.pid());
    try {
      Syscalls.pidfdSendSignal(pidfd, 15);
      assertThat(sleeper.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(sleeper.exitValue()).isEqualTo(128 + 15);
      // reaped: the fd still names that process, which no longer exists
      assertThatThrownBy(() -> Syscalls.pidfdSendSignal(pidfd, 15))
          .isInstanceOf(LinuxException.class).hasMessageContaining("pidfd_send_signal");
    } finally {
      Syscalls.closeQuietly(pidfd);
    }
  }
}
