#ifndef PMS_GATEWAY_SHIMS_H
#define PMS_GATEWAY_SHIMS_H

#include <sys/types.h>
#include <sys/socket.h>

/// Layout-identical twin of `struct ucred` (SO_PEERCRED), which Glibc only declares with
/// _GNU_SOURCE and Swift therefore cannot see. shims.c asserts the layouts match.
typedef struct pmsgw_ucred {
    pid_t pid;
    uid_t uid;
    gid_t gid;
} pmsgw_ucred;

/// The SO_PEERCRED option name, which does not reach Swift through Glibc's module.
static inline int pmsgw_so_peercred(void) { return SO_PEERCRED; }

/// The SO_PEERGROUPS option name (Linux 4.13+): the peer's supplementary groups at connect time.
static inline int pmsgw_so_peergroups(void) { return SO_PEERGROUPS; }

/// Names the calling thread (at most 15 bytes are kept) for `top -H`, `ps -L` and `perf`.
/// pthread_setname_np is declared only with _GNU_SOURCE, which Swift's Glibc module lacks.
void pmsgw_name_this_thread(const char *name);

#endif
