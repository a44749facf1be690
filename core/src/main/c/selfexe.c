/*
 * Guards the helper's own binary against a container (the CVE-2019-5736 class: a process in the
 * container opens /proc/<helper pid>/exe for writing and replaces the runtime on the host).
 * As runc does, the helper re-executes itself from a sealed memfd first: what /proc/<pid>/exe
 * then leads to is a private, unwritable copy, never the file on the host. The JVM usually
 * starts it from such a copy already (one the JVM holds, HelperBinary.launchPath); then there is
 * nothing to copy. And a helper running
 * as root is made non-dumpable, so no process of the same uid may open its /proc files at all;
 * the kernel makes the container's program dumpable again when it is executed.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

#include "selfexe.h"

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

static int is_sealed_copy(int exe) {
  int seals = fcntl(exe, F_GET_SEALS);
  return seals >= 0 && (seals & SEALS) == SEALS;
}

static int copy_sealed(int exe, berr_t *e) {
  struct stat st;
  int mem = memfd_create("berth-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mem < 0 || fstat(exe, &st) < 0) return berr_set(e, STAGE_SPAWN, errno, "memfd_create for the helper's copy");
  for (off_t off = 0; off < st.st_size;) {
    if (sendfile(mem, exe, &off, (size_t)(st.st_size - off)) <= 0) {
      close(mem);
      return berr_set(e, STAGE_SPAWN, errno, "copy the helper into a memfd");
    }
  }
  if (fcntl(mem, F_ADD_SEALS, SEALS) < 0) {
    close(mem);
    return berr_set(e, STAGE_SPAWN, errno, "seal the helper's memfd copy");
  }
  return mem;
}

int selfexe_protect(char **argv, berr_t *e) {
  if (geteuid() == 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
    return berr_set(e, STAGE_SPAWN, errno, "make the helper non-dumpable");
  }
  AUTO_FD int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (exe < 0) return berr_set(e, STAGE_SPAWN, errno, "open /proc/self/exe");
  if (is_sealed_copy(exe)) {
    /* started from the JVM's copy through its /proc/<pid>/fd/<n> link: the kernel named the
     * process after the link's last part (a number); name it as a copy of its own would be */
    prctl(PR_SET_NAME, "memfd:berth-helper", 0, 0, 0);
    return 0;
  }
  AUTO_FD int mem = copy_sealed(exe, e);
  if (mem < 0) return -1;
  fexecve(mem, argv, environ);
  return berr_set(e, STAGE_SPAWN, errno, "re-execute the helper from its sealed copy");
}
