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
    /// Writes a consistent copy of the database to `path` while writes continue (`system.backup`).
    ///
    /// SQLite's backup API copies every page in one step from a read connection, so the copy is
    /// exactly one committed state (a WAL snapshot) and the writer is never blocked. The copy is
    /// written beside `path`, switched to a self-contained rollback-journal file, fsynced and
    /// renamed into place, so `path` is either the old file or a complete backup, never a torn one.
    /// Returns the copy's size and the seq of its newest journal entry.
    public func backup(to path: String) async throws -> (bytes: Int, journalHead: Int) {
        let readers = self.readers
        let result = try await Threads.run {
            try readers.withConnection { source in
                try Self.copy(from: source, to: path)
            }
        }
        logger.info("backup written", metadata: ["path": "\(path)", "bytes": "\(result.bytes)"])
        return (result.bytes, result.journalHead)
    }

    struct BackupResult: Sendable {
        var bytes: Int
        var journalHead: Int
    }

    private static func copy(from source: Connection, to path: String) throws(StoreError) -> BackupResult {
        let partial = path + ".partial"
        unlink(partial)
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
private func posixOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
private func posixClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
