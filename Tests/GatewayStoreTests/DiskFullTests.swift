import GatewayStore
import GatewayTestSupport
import Testing

/// Whether this process may mount a tmpfs (root in a container that allows it).
let canMountTmpfs: Bool = {
    guard let directory = try? TemporaryDirectory() else { return false }
    let mounted = shell("mount -t tmpfs -o size=1m tmpfs '\(directory.path)' 2>/dev/null") == 0
    if mounted { shell("umount '\(directory.path)'") }
    return mounted
}()

@Suite("Storage failures", .serialized)
struct DiskFullTests {
    /// `max_page_count` makes SQLite answer SQLITE_FULL exactly as a full disk would.
    @Test func pageLimitFailsWritesUntilRaised() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite3")
        let store = try openStore(path)
        defer { store.close() }
        try await store.write { $0.journal(draft("before")) }
        try await store.write { transaction in
            let pages = try transaction.query("PRAGMA page_count")[0].int(0)
            _ = try transaction.query("PRAGMA max_page_count = \(pages)")
        }

        let big = [UInt8](repeating: 0x5A, count: 200_000)
        do {
            try await store.write { transaction in
                transaction.journal(draft("too-big"))
                try transaction.execute("INSERT INTO items (id, payload) VALUES ('big', ?)", [.blob(big)])
            }
            Issue.record("a write past max_page_count succeeded")
        } catch let error as StoreError {
            #expect(error.code == .unavailable)
        }
        // Reads go on, and the failed write left nothing behind.
        let (count, verification) = try store.read { connection in
            (try connection.query("SELECT count(*) FROM items")[0].int(0), try connection.journalVerify())
        }
        #expect(count == 0)
        #expect(verification.ok && verification.entries == 1)

        try await store.write { _ = try $0.query("PRAGMA max_page_count = 1073741823") }
        try await store.write { transaction in
            transaction.journal(draft("after"))
            try transaction.execute("INSERT INTO items (id, payload) VALUES ('big', ?)", [.blob(big)])
        }
        let after = try store.read { try $0.journalVerify() }
        #expect(after.ok && after.entries == 2)
        #expect(try SQLiteFile(path).column("PRAGMA integrity_check") == ["ok"])
    }

    /// A real full file system: the COMMIT itself fails, and the writer must roll back, keep its
    /// in-memory head right, and carry on once there is space again.
    @Test(.enabled(if: canMountTmpfs)) func fullFileSystemFailsCommitsThenRecovers() async throws {
        let directory = try TemporaryDirectory()
        try #require(shell("mount -t tmpfs -o size=1m tmpfs '\(directory.path)'") == 0)
        defer { shell("umount -l '\(directory.path)'") }
        let path = directory.file("db.sqlite3")
        let store = try openStore(path)

        let chunk = [UInt8](repeating: 0xA5, count: 48_000)
        var committed = 0
        var failure: StoreError?
        for index in 0..<100 {
            do {
                try await store.write { transaction in
                    transaction.journal(draft("chunk-\(index)"))
                    try transaction.execute(
                        "INSERT INTO items (id, payload) VALUES (?, ?)", [.text("chunk-\(index)"), .blob(chunk)])
                }
                committed += 1
            } catch let error as StoreError {
                failure = error
                break
            }
        }
        let error = try #require(failure, "the 1 MiB file system never filled up")
        #expect(error.code == .unavailable)
        #expect(committed > 0)

        // Reads still work and see exactly the committed writes.
        let (count, verification) = try store.read { connection in
            (try connection.query("SELECT count(*) FROM items")[0].int(0), try connection.journalVerify())
        }
        #expect(count == committed)
        #expect(verification.ok && verification.entries == committed)
        #expect(store.journalHead.seq == committed)

        // Still full: small writes may fail too, but must not corrupt anything.
        _ = try? await store.write { $0.journal(draft("while-full")) }

        #expect(shell("mount -o remount,size=16m '\(directory.path)'") == 0)
        try await store.write { transaction in
            transaction.journal(draft("after-space"))
            try transaction.execute("INSERT INTO items (id, payload) VALUES ('after', ?)", [.blob(chunk)])
        }
        let after = try store.read { try $0.journalVerify() }
        #expect(after.ok)
        #expect(after.entries == store.journalHead.seq)
        store.close()
        let raw = try SQLiteFile(path)
        #expect(try raw.column("PRAGMA integrity_check") == ["ok"])
    }
}
