#!/bin/sh
# Builds the helper (and, with "test", builds and runs the C unit tests). Run by Maven:
#   build.sh helper OUTDIR   -> OUTDIR/berth-helper-<arch>
#   build.sh test TESTSRC BUILDDIR
set -eu
cd "$(dirname "$0")"
CFLAGS="-std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE"
ARCH=$(uname -m)
case "$1" in
  helper)
    mkdir -p "$2"
    gcc $CFLAGS -static -o "$2/berth-helper-$ARCH.tmp" \
      main.c config.c ns.c mount.c creds.c monitor.c pty.c error.c sync.c json.c exec.c \
      nsenter.c ctl.c loop.c fdpass.c netconf.c net.c proxy.c seccomp.c selfexe.c cgroup.c \
      userns.c fsjob.c fscopy.c devices.c spawn.c owner.c spare.c session.c state.c
    strip "$2/berth-helper-$ARCH.tmp"
    mv "$2/berth-helper-$ARCH.tmp" "$2/berth-helper-$ARCH"
    ;;
  test)
    mkdir -p "$3"
    # --wrap=strerror: the tests' strerror may set errno, as POSIX lets a libc's do
    gcc $CFLAGS -Wl,--wrap=strerror -I. -o "$3/berth-helper-tests" "$2"/*.c config.c error.c json.c exec.c ctl.c \
      loop.c pty.c sync.c fdpass.c netconf.c userns.c ns.c spawn.c fscopy.c mount.c devices.c session.c \
      state.c fsjob.c
    "$3/berth-helper-tests"
    ;;
  *) echo "usage: build.sh helper OUTDIR | build.sh test TESTSRC BUILDDIR" >&2; exit 2 ;;
esac
