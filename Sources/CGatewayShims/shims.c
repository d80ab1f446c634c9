#define _GNU_SOURCE
#include "CGatewayShims.h"

#include <stddef.h>

_Static_assert(sizeof(struct ucred) == sizeof(pmsgw_ucred), "ucred layout");
_Static_assert(offsetof(struct ucred, uid) == offsetof(pmsgw_ucred, uid), "ucred.uid offset");
_Static_assert(offsetof(struct ucred, gid) == offsetof(pmsgw_ucred, gid), "ucred.gid offset");
