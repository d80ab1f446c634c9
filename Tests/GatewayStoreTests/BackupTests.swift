import GatewayStore
import Synchronization
import Testing

@Suite("Online backup")
struct BackupTests {
    @Test func backupWhileWritingIsConsistent() async throws {
        let directory = try TemporaryDirectory()
        let store = try openStore(directory.file("db.sqlite3"))
        defer { store.close() }
        for index in 0..<200 {
            try await store.write { transaction in
                try transaction.journal(draft("seed-\(index)"))
                try transaction.execute(
                    "INSERT INTO items (id, payload) VALUES (?, zeroblob(2000))", [.text("seed-\(index)")])
            }
        }

        let stop = Atomic<Bool>(false)
        let writer = Task {
            var count = 0
            while !stop.load(ordering: .relaxed) {
                let id = "during-\(count)"
                try await store.write { transaction in
                    try transaction.journal(draft(id))
                    try transaction.execute("INSERT INTO items (id) VALUES (?)", [.text(id)])
                }
                count += 1
            }
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        let backupPath = directory.file("backup.sqlite3")
        let result = try await store.backup(to: backupPath)
        try await Task.sleep(for: .milliseconds(50))
        stop.store(true, ordering: .relaxed)
        let during = try await writer.value
        #expect(during > 0, "no writes ran during the backup")
        #expect(result.journalHead >= 200)
        #expect(result.bytes > 200 * 2000)

        let raw = try RawDatabase(backupPath)
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
        let directory = try TemporaryDirectory()
        let store = try openStore(directory.file("db.sqlite3"))
        defer { store.close() }
        do {
            _ = try await store.backup(to: directory.file("missing-dir/backup.sqlite3"))
            Issue.record("backup into a missing directory succeeded")
        } catch let error as StoreError {
            #expect(error.code == .unavailable)
        }
    }
}
