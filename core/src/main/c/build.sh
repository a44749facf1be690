#!/bin/sh
# Builds the helpers (and, with "test", builds and runs the C unit tests). Run by Maven:
#   build.sh helper OUTDIR          -> OUTDIR/berth-helper-x86_64 and OUTDIR/berth-helper-aarch64
#                                      (each with NAME.sums: its SHA-256, CRC-32 and size)
#   build.sh test TESTSRC BUILDDIR  -> the tests for both CPUs: this machine's natively, the
#                                      other's under qemu-user (qemu-<arch>-static)
# The helper of this machine's CPU is built with gcc, the other with Debian's cross compiler
# (gcc-aarch64-linux-gnu and libc6-dev-arm64-cross on x86_64; scripts/lib/deps.sh installs them).
set -eu
cd "$(dirname "$0")"
CFLAGS="-std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE"
ARCHES="x86_64 aarch64"
HELPER_SRC="main.c config.c ns.c mount.c creds.c monitor.c pty.c error.c sync.c json.c exec.c
  nsenter.c ctl.c loop.c fdpass.c netconf.c net.c proxy.c seccomp.c selfexe.c cgroup.c
  userns.c fsjob.c fscopy.c devices.c spawn.c owner.c spare.c session.c state.c status.c reap.c"
TEST_SRC="config.c error.c json.c exec.c ctl.c loop.c pty.c sync.c fdpass.c netconf.c userns.c ns.c
  spawn.c fscopy.c mount.c devices.c session.c state.c fsjob.c status.c reap.c"

# sums FILE: "sha256 HEX", "crc32 N" and "size N" lines; the CRC-32 and size are gzip's trailer
# (both little-endian), so no tool beyond coreutils and gzip is needed
sums() {
  echo "sha256 $(sha256sum "$1" | cut -d' ' -f1)"
  gzip -c -n "$1" | tail -c 8 | od -An -v -tu1 | tr -s ' \n' '  ' | awk '{
    printf "crc32 %.0f\nsize %.0f\n", $1 + $2 * 256 + $3 * 65536 + $4 * 16777216,
      $5 + $6 * 256 + $7 * 65536 + $8 * 16777216 }'
}

# tool ARCH NAME: gcc or strip for ARCH, native or cross; fails saying what to install
tool() {
  if [ "$1" = "$(uname -m)" ]; then t=$2; else t=$1-linux-gnu-$2; fi
  if ! command -v "$t" >/dev/null 2>&1; then
    pkg=gcc-$(echo "$1" | sed 's/_/-/g')-linux-gnu
    echo "build.sh: $t not found: the $1 helper needs it. On Debian: apt-get install $pkg" \
      "libc6-dev-$(case $1 in aarch64) echo arm64;; x86_64) echo amd64;; *) echo "$1";; esac)-cross" \
      "(scripts/lib/deps.sh lists the packages Berth's build needs)" >&2
    exit 1
  fi
  echo "$t"
}

case "$1" in
  helper)
    mkdir -p "$2"
    for arch in $ARCHES; do
      cc=$(tool "$arch" gcc)
      strip=$(tool "$arch" strip)
      # shellcheck disable=SC2086
      $cc $CFLAGS -static -o "$2/berth-helper-$arch.tmp" $HELPER_SRC
      $strip "$2/berth-helper-$arch.tmp"
      mv "$2/berth-helper-$arch.tmp" "$2/berth-helper-$arch"
      # its sums beside it: the JVM names its cached copy by the SHA-256 without hashing 1 MB
      # cold, and checks the copy by CRC-32 and size without inflating the jar's
      sums "$2/berth-helper-$arch" >"$2/berth-helper-$arch.sums"
    done
    ;;
  test)
    mkdir -p "$3"
    for arch in $ARCHES; do
      cc=$(tool "$arch" gcc)
      # --wrap=strerror: the tests' strerror may set errno, as POSIX lets a libc's do
      # shellcheck disable=SC2086
      $cc $CFLAGS -static -Wl,--wrap=strerror -I. -o "$3/berth-helper-tests-$arch" "$2"/*.c $TEST_SRC
      if [ "$arch" = "$(uname -m)" ]; then
        echo "C unit tests, $arch:"
        "$3/berth-helper-tests-$arch"
      else
        qemu=qemu-$arch-static
        if ! command -v "$qemu" >/dev/null 2>&1; then
          echo "build.sh: $qemu not found: the $arch helper's C tests run under it. On Debian:" \
            "apt-get install qemu-user-static (scripts/lib/deps.sh lists it)" >&2
          exit 1
        fi
        echo "C unit tests, $arch under $qemu:"
        BERTH_C_TESTS_EMULATOR=$qemu "$qemu" "$3/berth-helper-tests-$arch"
      fi
    done
    ;;
  *) echo "usage: build.sh helper OUTDIR | build.sh test TESTSRC BUILDDIR" >&2; exit 2 ;;
esac
