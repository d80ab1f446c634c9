#define _GNU_SOURCE
#include "CGatewayShims.h"

#include <pthread.h>
#include <stddef.h>
#include <string.h>

_Static_assert(sizeof(struct ucred) == sizeof(pmsgw_ucred), "ucred layout");
_Static_assert(offsetof(struct ucred, uid) == offsetof(pmsgw_ucred, uid), "ucred.uid offset");
_Static_assert(offsetof(struct ucred, gid) == offsetof(pmsgw_ucred, gid), "ucred.gid offset");

void pmsgw_name_this_thread(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = '\0';
    (void)pthread_setname_np(pthread_self(), truncated);
}
