import CSQLite
import CSQLiteWALBuffer
import Logging

/// Process-wide SQLite settings, applied once before the first connection opens (a global's
/// initialiser runs exactly once, on first use). The WAL-buffering VFS is registered after the
/// configuration because registering initialises SQLite, after which it takes no more.
private let sqliteConfigured: Int32 = {
    _ = pmsgw_sqlite_disable_memory_statistics()
    return pmsgw_wal_buffer_register()
}()

/// One SQLite connection and its prepared-statement cache.
///
/// Not thread-safe by design: it is opened with `SQLITE_OPEN_NOMUTEX` and always has exactly one
/// owner at a time (the writer thread, or a reader that checked it out of the pool), which is why
/// SQLite's own per-call mutex would be pure overhead.
final class Connection: DatabaseSession {
    let handle: OpaquePointer
    let path: String
    private var statements: [String: Statement] = [:]
    /// Statements are cached by SQL text; a program only has so many, so a cache that grows past
    /// this is a sign of SQL built from data, and is flushed rather than allowed to grow.
    private static let statementCacheLimit = 128

    /// - Parameter bufferedLog: whether the connection's WAL writes go through `wal_buffer.c`,
    ///   one write per commit instead of two per page. Only for a connection that keeps
    ///   `synchronous = FULL` (the writer): the buffer empties at the log's sync, which SQLite
    ///   does before it lets other connections see a commit.
    init(path: String, readOnly: Bool = false, create: Bool = true, bufferedLog: Bool = false) throws(StoreError) {
        let registered = sqliteConfigured
        guard !bufferedLog || registered == SQLITE_OK else {
            throw StoreError.sqlite(registered, "open \(path): cannot register the WAL-buffering VFS")
        }
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        if readOnly {
            flags |= SQLITE_OPEN_READONLY
        } else {
            flags |= SQLITE_OPEN_READWRITE
            if create { flags |= SQLITE_OPEN_CREATE }
        }
        var handle: OpaquePointer?
        let result = sqlite3_open_v2(path, &handle, flags, bufferedLog ? PMSGW_WAL_BUFFER_VFS : nil)
        guard result == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw StoreError.sqlite(result, "open \(path): \(message)")
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        // Temporary data in memory, never in files. The writer's statement journals (the undo of
        // one statement inside a SAVEPOINT) otherwise went to new files in /var/tmp: under
        // `client.create` 16x1 the writer opened 16 of them a second and wrote them 4,000 times,
        // and its heap churned with them (MADV_DONTNEED, page faults). In memory, creates went from
        // about 4,000 to 6,000 a second on 2 cores. Nor do page images of the registry then sit in
        // files outside the database's own directory.
        try exec("PRAGMA temp_store = MEMORY")
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(_ result: Int32, _ context: String) -> StoreError {
        StoreError.sqlite(result, "\(context): \(String(cString: sqlite3_errmsg(handle)))")
    }

    /// Runs SQL text that may hold several statements (migrations, pragmas); no bindings, no cache.
    func exec(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard result == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            throw StoreError.sqlite(result, "exec: \(text)")
        }
    }

    /// The cached prepared statement for `sql`, reset after `body` whatever happens.
    func withStatement<T>(
        _ sql: String, _ bindings: [SQLValue] = [], _ body: (Statement) throws(StoreError) -> T
    ) throws(StoreError) -> T {
        let statement: Statement
        if let cached = statements[sql] {
            statement = cached
        } else {
            statement = try Statement(connection: self, sql: sql)
            if statements.count >= Self.statementCacheLimit { statements.removeAll() }
            statements[sql] = statement
        }
        defer { statement.reset() }
        try statement.bind(bindings)
        return try body(statement)
    }

    /// Runs a statement that returns no rows we care about; the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> Int {
        try withStatement(sql, bindings) { statement throws(StoreError) in
            while try statement.step() {}
            return Int(sqlite3_changes64(handle))
        }
    }

    func query(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> [Row] {
        try withStatement(sql, bindings) { statement throws(StoreError) in
            var rows: [Row] = []
            while try statement.step() { rows.append(statement.row()) }
            return rows
        }
    }

    func queryFirst(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> Row? {
        try withStatement(sql, bindings) { statement throws(StoreError) in
            try statement.step() ? statement.row() : nil
        }
    }

    /// SQLite has no round trip to save: the statement runs here and now.
    func send(_ sql: String) throws(StoreError) {
        try execute(sql, [])
    }

    var engine: StoreEngine { .sqlite }

    /// A file stays usable: SQLite reports trouble per statement and recovers by itself.
    var isUsable: Bool { true }

    /// True when no transaction is open: SQLite rolls a whole transaction back by itself after
    /// some errors (full disk, I/O), and the writer must notice that before it issues COMMIT.
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    func integer(pragma: String) throws(StoreError) -> Int {
        let rows = try query("PRAGMA \(pragma)")
        guard let row = rows.first else { throw StoreError(.sql, "PRAGMA \(pragma) returned nothing") }
        return try row.int(0)
    }

    func text(pragma: String) throws(StoreError) -> String {
        let rows = try query("PRAGMA \(pragma)")
        guard let row = rows.first else { throw StoreError(.sql, "PRAGMA \(pragma) returned nothing") }
        return try row.string(0)
    }
}
