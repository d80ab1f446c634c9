#ifndef PMS_GATEWAY_SQLITE_WAL_BUFFER_H
#define PMS_GATEWAY_SQLITE_WAL_BUFFER_H

/// The name under which pmsgw_wal_buffer_register() makes the VFS known to sqlite3_open_v2.
#define PMSGW_WAL_BUFFER_VFS "pmsgw-wal-buffer"

/// Registers (once; later calls return the first call's result) a VFS that wraps the platform's
/// default one and gathers a connection's writes to its write-ahead log into one buffer, written
/// out in 64 KiB pwrites when SQLite syncs, reads, truncates, sizes or closes the log.
///
/// Why: SQLite writes each WAL frame as two pwrite calls (the 24-byte frame header, then the page),
/// so a commit that dirties 50 pages makes 100 system calls, each a kernel entry and a page-cache
/// lookup. Gathered, they are four.
///
/// Only safe for a connection whose commits sync the log (PRAGMA synchronous = FULL or EXTRA in
/// WAL mode): SQLite publishes a commit to other connections (the wal-index header) after that
/// sync, so nothing another connection can see is ever still in the buffer. Returns an SQLite
/// result code.
int pmsgw_wal_buffer_register(void);

#endif
