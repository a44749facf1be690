# Debian packages the build, the tests and the benchmarks need. Sourced by scripts/*.
BERTH_PACKAGES=(
  openjdk-17-jdk-headless maven gcc libc6-dev   # build: Java 17, Maven, the native helper
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross   # the aarch64 helper, cross-compiled (core/src/main/c/build.sh)
  qemu-user-static                              # runs the aarch64 helper's C unit tests on x86_64
  linux-libc-dev                                # kernel headers: seccomp syscall tables (scripts/gen-syscall-tables.sh, SyscallTableTest)
  docker-registry apache2-utils openssl         # the real test registry, htpasswd, test CAs
  busybox-static debootstrap                    # test images: busybox, the bookworm base
  iproute2 nftables                             # user-defined networks: bridges, veths, NAT
  skopeo umoci runc uidmap podman buildah       # peers for cross-checks and benchmarks
  postgresql                                    # the postgres fixture benchmark's baseline (scripts/bench-fixtures)
  tmux                                          # a real terminal for the CLI's run -it tests
  openssh-server                                # the real sshd a remote engine reaches over ssh:// (RemoteEngineOverSshTest)
  fuse-overlayfs                                # rootless root file system on kernels without userxattr overlay
  slirp4netns                                   # outbound traffic of containers on the private network
  libc-l10n                                     # libc's German messages: errors told by errno, not wording (StoreDiskFullTest)
  gpg zip unzip                                 # scripts/check-release: signs with a throwaway key, zips and unpacks the Central bundle
)

berth_missing_packages() {
  local p missing=()
  for p in "${BERTH_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]}"
}

berth_require_packages() {
  local missing
  missing=$(berth_missing_packages)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "Installing: $missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "Berth's tests need these Debian packages, which are not installed:" >&2
    echo "  sudo apt-get install -y $missing" >&2
    exit 1
  fi
}
