import CSQLite

/// Why the store refused or failed an operation.
///
/// Callers branch on `code`; the daemon maps it to a JSON-RPC error in exactly one place
/// (`.unavailable` becomes -32011). `message` is for logs and never carries row data.
package struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: Sendable, Equatable {
        /// Storage is failing right now (disk full, I/O error, read-only file, lock held elsewhere).
        /// Retrying later can succeed; the store keeps running.
        case unavailable
        /// The database was written by a newer build; opening it could corrupt its data.
        case newerSchema(found: Int, supported: Int)
        /// SQLite reports the file is damaged or not a database at all.
        case corrupt
        /// The store was closed; nothing more is accepted.
        case closed
        /// A UNIQUE, CHECK, NOT NULL or FOREIGN KEY constraint refused the statement.
        case constraint
        /// The program asked for something wrong: bad SQL, a missing table, a column of the wrong
        /// type, a migration list out of order. Not the caller's input and not the disk.
        case sql
        /// A file that must be new (a backup's target) already exists; nothing was written.
        case fileExists
        /// The database cannot be used as configured: a URL that does not parse, a login the server
        /// refuses, a database that does not exist. Only an operator can fix it (exit 78 at start).
        case configuration
        /// The operation needs the other engine (a SQLite file backup on a PostgreSQL store).
        case unsupported
    }

    package var code: Code
    package var message: String
    /// SQLite's extended result code when SQLite produced the error.
    package var sqliteCode: Int32?

    package init(_ code: Code, _ message: String, sqliteCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.sqliteCode = sqliteCode
    }

    package var description: String {
        "StoreError(\(code)): \(message)"
    }

    /// Classifies an SQLite result so storage trouble is told apart from program errors: only the
    /// former may be retried, and only the latter deserves a bug report.
    static func sqlite(_ result: Int32, _ message: String) -> StoreError {
        let code: Code
        switch result & 0xFF {
        case SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_BUSY, SQLITE_LOCKED,
            SQLITE_NOMEM, SQLITE_PROTOCOL, SQLITE_INTERRUPT, SQLITE_NOLFS, SQLITE_PERM:
            code = .unavailable
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            code = .corrupt
        case SQLITE_CONSTRAINT:
            code = .constraint
        default:
            code = .sql
        }
        return StoreError(code, message, sqliteCode: result)
    }

    /// While writing, a damaged file is a storage failure like any other: the caller can only
    /// retry later, and the writer must keep serving.
    var asWriteFailure: StoreError {
        code == .corrupt ? StoreError(.unavailable, message, sqliteCode: sqliteCode) : self
    }
}
