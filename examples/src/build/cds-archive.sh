#!/bin/sh
# Makes the class-data-sharing archive bin/berth maps at start (issue #17). A static AppCDS
# archive, in two steps: the training (dev.berth.cli.CdsTraining) runs in one JVM against a
# temporary BERTH_HOME and helper cache, nothing from the network (as root it also runs a
# container of an image it makes from the jar's own helper), and lists the classes it loaded;
# then -Xshare:dump archives them with the JDK's own. Static, not -XX:ArchiveClassesAtExit:
# on JDK 17 a dynamic archive leaves out picocli (class files of Java 5, "Pre JDK 6 class not
# supported by CDS"), which a static one keeps. Writes ARCHIVE and ARCHIVE.java (the java it was
# made with: bin/berth uses the archive only with that java).
#   cds-archive.sh JAVA JAR ARCHIVE
set -eu
java=$1 jar=$2 jsa=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/berth-cds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
rm -f "$jsa" "$jsa.java"
# the flags bin/berth runs with, so the archive matches the JVM that maps it (without
# --enable-native-access, JDK 25 maps it without its module graph: "Mismatched values for
# property jdk.module.enable.native.access")
flags="-XX:TieredStopAtLevel=1 -XX:-UsePerfData -Djdk.reflect.useNativeAccessorOnly=true
  --enable-native-access=ALL-UNNAMED"
env -u BERTH_REGISTRY_MIRRORS -u BERTH_INSECURE_REGISTRIES BERTH_HOME="$tmp/home" \
  XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/data" \
  "$java" $flags -XX:DumpLoadedClassList="$tmp/classes.lst" -cp "$jar" dev.berth.cli.CdsTraining \
  >"$tmp/training.log" 2>&1 || { cat "$tmp/training.log" >&2; exit 1; }
# JDK 21+ lists constant-pool entries and lambda proxies to resolve at dump time (@cp,
# @lambda-proxy); resolving picocli's links its Java 5 classes, and a linked old class is left
# out of the archive ("Old class has been linked"): 146 picocli classes on JDK 25. Without those
# lines picocli's classes are archived, unlinked, as JDK 17 archives them.
grep -v -e '^@cp picocli/' -e '^@lambda-proxy .*picocli' "$tmp/classes.lst" >"$tmp/archived.lst"
"$java" $flags -Xshare:dump -XX:SharedClassListFile="$tmp/archived.lst" \
  -XX:SharedArchiveFile="$jsa" -cp "$jar" >"$tmp/dump.log" 2>&1 \
  || { cat "$tmp/dump.log" >&2; exit 1; }
[ -s "$jsa" ] || { echo "cds-archive.sh: $java wrote no $jsa" >&2; exit 1; }
echo "$java" >"$jsa.java"
