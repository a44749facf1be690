#!/bin/sh
# Makes the installable berth archive (issue #19): berth-VERSION-linux-x86_64.tar.gz, unpacked
# anywhere and its bin/ put on the PATH, it needs no JDK:
#   bin/berth          the launcher (the same file as examples/bin/berth; it sees lib/berth.jar)
#   lib/berth.jar      the CLI with the library and its dependencies
#   lib/berth.jsa      the class-data-sharing archive, made by runtime/bin/java (cds-archive.sh)
#   lib/berth-quick.jsa  the lean one the verbs typed most map (cds-archive.sh)
#   runtime/           a jlinked Java runtime holding only the modules jdeps finds in berth.jar
#   LICENSE, NOTICE
# The archive's class-data archive is made only with a runtime of JDK 19 or newer: JDK 17 refuses
# an archive whose jar moved since it was made (the jar's path is recorded in it), and the user
# unpacks wherever they like; newer JDKs accept the move (an app class path with the same names).
# Reproducible in what it controls: sorted entries, one time stamp (TIMESTAMP, the build's
# project.build.outputTimestamp), owner 0, gzip without a name or time.
#   dist.sh JDK JAR OUTDIR VERSION TIMESTAMP
set -eu
jdk=$1 jar=$2 out=$3 version=$4
epoch=$(date -d "$5" +%s)
here=$(cd "$(dirname "$0")" && pwd)
examples=$(cd "$here/../.." && pwd)
name=berth-$version-linux-x86_64
stage=$out/dist
tgz=$out/$name.tar.gz
[ -x "$jdk/bin/jlink" ] || { echo "dist.sh: $jdk has no bin/jlink: set -Dberth.dist.jdk to a JDK (17 or newer)" >&2; exit 1; }
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
rm -rf "$stage" "$tgz"
mkdir -p "$stage/$name/bin" "$stage/$name/lib"
root=$stage/$name

# the modules berth.jar uses, by its classes' references (optional dependencies' modules too:
# Jackson's java.beans support, JNA's AWT window ids); JDK 17 keeps elliptic-curve TLS in a
# module of its own that no class names
modules=$("$jdk/bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps "$jar")
if "$jdk/bin/java" --list-modules | grep -q '^jdk\.crypto\.ec@' && [ "$feature" -lt 22 ]; then
  modules=$modules,jdk.crypto.ec
fi
if [ "$feature" -ge 21 ]; then compress=zip-6; else compress=2; fi
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress="$compress" --output "$root/runtime"

cp "$examples/bin/berth" "$root/bin/berth"
cp "$jar" "$root/lib/berth.jar"
cp "$examples/../LICENSE" "$examples/../NOTICE" "$root/"
# the archive records the jar's size and time: the time it will have once unpacked
touch -d "@$epoch" "$root/lib/berth.jar"
if [ "$feature" -ge 19 ]; then
  sh "$here/cds-archive.sh" "$root/runtime/bin/java" "$root/lib/berth.jar" "$root/lib/berth.jsa"
  # the launcher maps lib/berth.jsa and lib/berth-quick.jsa whenever they are there: the runtime
  # beside them made them
  rm "$root/lib/berth.jsa.java" "$root/lib/berth-quick.jsa.java"
fi

find "$stage" -exec touch -h -d "@$epoch" {} +
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$stage" -cf - "$name" \
  | gzip -n -6 >"$tgz"
rm -rf "$stage"
echo "dist.sh: $tgz (runtime: JDK $feature, modules $modules)"
