import CSQLite
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Store {
    /// Writes a consistent copy of the database to the new file `path` while writes continue
    /// (`system.backup`).
    ///
    /// `path` is claimed first with `O_CREAT|O_EXCL|O_NOFOLLOW` and mode 0600: an existing file
    /// (or symbolic link) there is never touched, and two backups to one name cannot both run
    /// (`.fileExists`). SQLite's backup API then copies every page in one step from a read
    /// connection, so the copy is exactly one committed state (a WAL snapshot) and the writer is
    /// never blocked. The copy is written to a temporary file beside `path`, switched to a
    /// self-contained rollback-journal file, fsynced and renamed over the claimed name, so `path`
    /// holds a complete backup or (after a crash) nothing. Returns the copy's size and the seq of
    /// its newest journal entry.
    package func backup(to path: String) async throws -> (bytes: Int, journalHead: Int) {
        // Refused before a thread or a server connection is spent on it.
        guard engine == .sqlite else { throw Self.backupUnsupported }
        let readers = self.readers
        let result = try await Threads.run {
            try readers.withReader { source in
                guard let connection = source.session as? Connection else { throw Self.backupUnsupported }
                return try Self.copy(from: connection, to: path)
            }
        }
        logger.info("backup written", metadata: ["path": "\(path)", "bytes": "\(result.bytes)"])
        return (result.bytes, result.journalHead)
    }

    private static let backupUnsupported = StoreError(
        .unsupported, "system.backup copies a SQLite file; back a PostgreSQL database up with pg_dump")

    struct BackupResult: Sendable {
        var bytes: Int
        var journalHead: Int
    }

    private static func copy(from source: Connection, to path: String) throws(StoreError) -> BackupResult {
        let claimed = posixOpen(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard claimed >= 0 else {
            if errno == EEXIST { throw StoreError(.fileExists, "backup target exists") }
            throw posixError("create \(path)")
        }
        _ = posixClose(claimed)
        do {
            return try copy(from: source, claimed: path)
        } catch {
            unlink(path)
            throw error
        }
    }

    private static func copy(from source: Connection, claimed path: String) throws(StoreError) -> BackupResult {
        let partial = try temporaryFile(besides: path)
        var head = 0
        do throws(StoreError) {
            let destination = try Connection(path: partial)
            guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
                throw destination.error(sqlite3_errcode(destination.handle), "backup")
            }
            let stepped = sqlite3_backup_step(backup, -1)
            let finished = sqlite3_backup_finish(backup)
            guard stepped == SQLITE_DONE else { throw StoreError.sqlite(stepped, "backup step") }
            guard finished == SQLITE_OK else { throw destination.error(finished, "backup finish") }
            _ = try destination.text(pragma: "journal_mode = DELETE")
            head = try destination.query("SELECT coalesce(max(seq), 0) FROM journal").first?.int(0) ?? 0
        } catch {
            unlink(partial)
            throw error.asWriteFailure
        }

        do throws(StoreError) {
            try syncFile(partial)
            guard rename(partial, path) == 0 else { throw posixError("rename to \(path)") }
            try syncFile(directory(of: path))
        } catch {
            unlink(partial)
            throw error
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw posixError("stat \(path)") }
        return BackupResult(bytes: Int(info.st_size), journalHead: head)
    }

    /// An unused name beside `path`, created 0600 by `mkstemp` (O_EXCL), for SQLite to fill.
    private static func temporaryFile(besides path: String) throws(StoreError) -> String {
        var template = Array("\(path).partial-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw posixError("create temporary file beside \(path)") }
        _ = posixClose(descriptor)
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func syncFile(_ path: String) throws(StoreError) {
        let descriptor = posixOpen(path, O_RDONLY)
        guard descriptor >= 0 else { throw posixError("open \(path)") }
        defer { _ = posixClose(descriptor) }
        guard fsync(descriptor) == 0 else { throw posixError("fsync \(path)") }
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func posixError(_ context: String) -> StoreError {
        let code = errno
        return StoreError(.unavailable, "\(context): \(String(cString: strerror(code)))")
    }
}

// `open` and `close` inside `Store` would name the store's own methods.
private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 { open(path, flags, mode) }
private func posixClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
