import GatewayStore
import GatewayTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The writer's log as SQLite leaves it: its frames gathered into one write per commit
/// (`wal_buffer.c`), copied back into the file by the checkpoint thread, and never longer than a
/// few thousand pages however long writes go on.
@Suite struct WriteAheadLogTests {
    /// Sizes around the buffer's edges: one write chunk (64 KiB), twice that (which the unix VFS
    /// would take as a write of nothing, were it handed over whole), and past the buffer (1 MiB).
    @Test(arguments: [1, 65_536, 131_072, 262_144, 1_500_000, 3_000_000])
    func aCommitOfAnySizeReadsBackWhole(bytes: Int) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite3")
        let store = try openStore(path)
        let payload = (0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        // Two commits, the second rewriting the first's pages, so frames are written over too.
        for round in 0..<2 {
            try await store.write { transaction in
                try transaction.execute(
                    "INSERT OR REPLACE INTO items (id, payload) VALUES ('big', ?)",
                    [.blob(payload.map { $0 &+ UInt8(round) })])
            }
            // A read connection sees exactly what was committed, at once.
            let read = try store.read { try $0.query("SELECT payload FROM items WHERE id = 'big'")[0].blob(0) }
            #expect(read == payload.map { $0 &+ UInt8(round) })
        }
        store.close()
        // So does a connection that knows nothing of the store, once it is closed.
        let file = try SQLiteFile(path)
        #expect(try file.integrityCheck() == "ok")
        #expect(try file.column("SELECT length(payload) FROM items") == ["\(bytes)"])
    }

    /// Sustained writes pass SQLite's checkpoint threshold many times over; the log must still be
    /// started over, not grow with everything ever written (about 70 MB here).
    @Test func theLogStaysBoundedUnderSustainedWrites() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite3")
        let store = try openStore(path)
        defer { store.close() }
        let payload = [UInt8](repeating: 0x5A, count: 24_000)
        var largest = 0
        for index in 0..<2_500 {
            try await store.write { transaction in
                try transaction.execute(
                    "INSERT INTO items (id, payload) VALUES (?, ?)", [.text("item-\(index)"), .blob(payload)])
            }
            largest = max(largest, fileSize(path + "-wal"))
        }
        // Every commit wrote about seven pages: 17,500 frames of 4,120 bytes in all.
        #expect(largest > 0)
        #expect(largest < 6_000 * 4_120, "the log grew to \(largest) bytes")
        #expect(try store.read { try $0.query("SELECT count(*) FROM items")[0].int(0) } == 2_500)
    }

    /// Readers on their own connections, reading while commits and checkpoints go on, only ever
    /// meet whole rows: a commit is published to them only after its frames left the buffer.
    @Test func readersReadingAlongSeeOnlyWholeCommits() async throws {
        let directory = try TemporaryDirectory()
        let store = try openStore(directory.file("db.sqlite3"))
        defer { store.close() }
        // About five pages a commit: 3,000 frames, past the checkpoint thread's threshold twice.
        let writes = 600
        let deadline = ContinuousClock.now + .seconds(60)
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for index in 0..<writes {
                    try await store.write { transaction in
                        try transaction.execute(
                            "INSERT INTO items (id, payload) VALUES (?, ?)",
                            [.text(String(index)), .blob(Self.pattern(index))])
                    }
                }
                return writes
            }
            for _ in 0..<2 {
                group.addTask {
                    var newest = -1
                    while newest < writes - 1, ContinuousClock.now < deadline {
                        let rows = try store.read { connection in
                            try connection.query("SELECT id, payload FROM items ORDER BY rowid DESC LIMIT 2")
                        }
                        for row in rows {
                            let index = try #require(Int(try row.string(0)))
                            #expect(try row.blob(1) == Self.pattern(index), "row \(index) read back changed")
                        }
                        newest = try rows.first.map { try #require(Int(try $0.string(0))) } ?? -1
                        // The writer's caller resumes on the same few threads these readers spin on.
                        await Task.yield()
                    }
                    return newest + 1
                }
            }
            for try await seen in group {
                #expect(seen == writes)
            }
        }
    }

    private static func pattern(_ index: Int) -> [UInt8] {
        (0..<16_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) }
    }

    private func fileSize(_ path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }
}
