import CSQLite

/// A database file opened directly with SQLite's C API, the way an auditor, an intruder or a
/// second tool would: to inspect what the daemon or the store left on disk, or to change it
/// behind their back (with foreign keys off, SQLite's default, unlike the store's connections).
public final class SQLiteFile {
    private let handle: OpaquePointer

    public init(_ path: String, readOnly: Bool = true) throws {
        var handle: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            sqlite3_close(handle)
            throw TestFailure("cannot open \(path)")
        }
        self.handle = handle
        sqlite3_busy_timeout(handle, 5_000)
    }

    deinit { sqlite3_close(handle) }

    /// Runs `sql` (one or more statements).
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard result == SQLITE_OK else {
            throw TestFailure("\(sql): \(message.map { String(cString: $0) } ?? "error \(result)")")
        }
    }

    /// The first column of every row, as text (`NULL` for null).
    public func column(_ sql: String) throws -> [String] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw TestFailure("prepare \(sql): \(String(cString: sqlite3_errmsg(handle)))")
        }
        defer { sqlite3_finalize(statement) }
        var values: [String] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            values.append(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "NULL")
        }
        return values
    }

    /// `PRAGMA integrity_check`'s verdict: "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try column("PRAGMA integrity_check").joined(separator: "; ")
    }
}
