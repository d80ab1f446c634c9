#ifndef PMS_GATEWAY_CSQLITE_SHIM_H
#define PMS_GATEWAY_CSQLITE_SHIM_H

#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call. Memory statistics make every SQLite
/// allocation take one process-wide mutex, which threads reading at once then queue on; nothing
/// here reads those statistics. Must run before SQLite initialises (the first open); returns
/// SQLITE_MISUSE after that.
static inline int pmsgw_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
