import GatewayStore
import GatewayTestSupport
import Synchronization
import Testing

@Suite("Online backup")
struct BackupTests: TemporaryStoreSuite {
    /// Each test's own store: Swift Testing makes a suite value per test.
    let temporary: TemporaryStore
    init() throws { temporary = try TemporaryStore() }

    @Test func backupWhileWritingIsConsistent() async throws {
        for index in 0..<200 {
            try await store.write { transaction in
                transaction.journal(draft("seed-\(index)"))
                try transaction.execute(
                    "INSERT INTO items (id, payload) VALUES (?, zeroblob(2000))", [.text("seed-\(index)")])
            }
        }

        let stop = Atomic<Bool>(false)
        let written = Atomic<Int>(0)
        let writer = Task {
            while !stop.load(ordering: .relaxed) {
                let id = "during-\(written.load(ordering: .relaxed))"
                try await store.write { transaction in
                    transaction.journal(draft(id))
                    try transaction.execute("INSERT INTO items (id) VALUES (?)", [.text(id)])
                }
                written.add(1, ordering: .relaxed)
            }
            return written.load(ordering: .relaxed)
        }
        defer { stop.store(true, ordering: .relaxed) }
        try await eventually("writes running before the backup") { written.load(ordering: .relaxed) > 0 }
        let backupPath = directory.file("backup.sqlite3")
        let result = try await store.backup(to: backupPath)
        try await eventually("writes after the backup") { store.journalHead.seq > result.journalHead }
        stop.store(true, ordering: .relaxed)
        let during = try await writer.value
        #expect(during > 0, "no writes ran during the backup")
        #expect(result.journalHead >= 200)
        #expect(result.bytes > 200 * 2000)

        let raw = try SQLiteFile(backupPath)
        #expect(try raw.column("PRAGMA integrity_check") == ["ok"])
        #expect(try raw.column("PRAGMA journal_mode") == ["delete"])
        // Journal and state come from the same instant: every journalled item is there, no more.
        #expect(try raw.column("SELECT count(*) FROM items") == ["\(result.journalHead)"])

        let copy = try openStore(backupPath)
        defer { copy.close() }
        let verification = try copy.read { try $0.journalVerify() }
        #expect(verification.ok)
        #expect(verification.entries == result.journalHead)
        #expect(store.journalHead.seq > result.journalHead)
    }

    @Test func backupToUnwritablePlaceIsUnavailable() async throws {
        do {
            _ = try await store.backup(to: directory.file("missing-dir/backup.sqlite3"))
            Issue.record("backup into a missing directory succeeded")
        } catch let error as StoreError {
            #expect(error.code == .unavailable)
        }
    }
}
