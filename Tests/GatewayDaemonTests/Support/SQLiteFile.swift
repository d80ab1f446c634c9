import CSQLite
import Foundation

/// Opens a daemon's database file directly, the way an auditor or a test inspects it.
final class SQLiteFile {
    private var handle: OpaquePointer?

    init(_ path: String, readOnly: Bool = true) throws {
        let flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK else {
            throw RPCClient.Failure(description: "cannot open \(path)")
        }
        sqlite3_busy_timeout(handle, 5_000)
    }

    deinit { sqlite3_close(handle) }

    /// Every row of the first column as text.
    func column(_ sql: String) throws -> [String] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw RPCClient.Failure(description: String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        var values: [String] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            values.append(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "NULL")
        }
        return values
    }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            throw RPCClient.Failure(description: String(cString: sqlite3_errmsg(handle)))
        }
    }

    /// `PRAGMA integrity_check`'s verdict: "ok" when the file is sound.
    func integrityCheck() throws -> String {
        try column("PRAGMA integrity_check").joined(separator: "; ")
    }
}
