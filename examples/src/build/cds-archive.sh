#!/bin/sh
# Makes the class-data-sharing archives bin/berth maps at start (issue #17). Static AppCDS
# archives, each in two steps: a training (dev.berth.cli.CdsTraining) runs in one JVM against a
# temporary BERTH_HOME and helper cache, nothing from the network (as root it also runs a
# container of an image it makes from the jar's own helper), and lists the classes it loaded;
# then -Xshare:dump archives them with the JDK's own. ARCHIVE holds what every trained command
# loads (picocli's help and model included); ARCHIVE-quick.jsa only what the verbs typed most
# load (run, ps, images, …: CdsTraining.QUICK), for the launcher to map for those: the JVM
# patches all of an archive at each start, so the lean one starts them sooner. Static, not
# -XX:ArchiveClassesAtExit: on JDK 17 a dynamic archive leaves out picocli (class files of Java
# 5, "Pre JDK 6 class not supported by CDS"), which a static one keeps. Writes each archive and
# ARCHIVE.java beside it (the java it was made with: bin/berth uses an archive only with that java).
#   cds-archive.sh JAVA JAR ARCHIVE
set -eu
java=$1 jar=$2 jsa=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/berth-cds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
rm -f "$jsa" "$jsa.java" "${jsa%.jsa}-quick.jsa" "${jsa%.jsa}-quick.jsa.java"
# the flags bin/berth runs with, so the archive matches the JVM that maps it (without
# --enable-native-access, JDK 25 maps it without its module graph: "Mismatched values for
# property jdk.module.enable.native.access")
flags="-XX:TieredStopAtLevel=1 -XX:-UsePerfData -Djdk.reflect.useNativeAccessorOnly=true
  --enable-native-access=ALL-UNNAMED"
# archive SET FILE: the archive of what CdsTraining SET (all, quick) loads
archive() {
  env -u BERTH_REGISTRY_MIRRORS -u BERTH_INSECURE_REGISTRIES BERTH_HOME="$tmp/home-$1" \
    XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/data" \
    "$java" $flags -XX:DumpLoadedClassList="$tmp/$1.lst" -cp "$jar" dev.berth.cli.CdsTraining "$1" \
    >"$tmp/training-$1.log" 2>&1 || { cat "$tmp/training-$1.log" >&2; exit 1; }
  # JDK 21+ lists constant-pool entries and lambda proxies to resolve at dump time (@cp,
  # @lambda-proxy); resolving picocli's links its Java 5 classes, and a linked old class is left
  # out of the archive ("Old class has been linked"): 146 picocli classes on JDK 25. Without
  # those lines picocli's classes are archived, unlinked, as JDK 17 archives them.
  grep -v -e '^@cp picocli/' -e '^@lambda-proxy .*picocli' "$tmp/$1.lst" >"$tmp/$1-archived.lst"
  "$java" $flags -Xshare:dump -XX:SharedClassListFile="$tmp/$1-archived.lst" \
    -XX:SharedArchiveFile="$2" -cp "$jar" >"$tmp/dump-$1.log" 2>&1 \
    || { cat "$tmp/dump-$1.log" >&2; exit 1; }
  [ -s "$2" ] || { echo "cds-archive.sh: $java wrote no $2" >&2; exit 1; }
  echo "$java" >"$2.java"
}
archive all "$jsa"
archive quick "${jsa%.jsa}-quick.jsa"
