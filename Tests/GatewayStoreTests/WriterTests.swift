import GatewayJSON
import GatewayStore
import Synchronization
import Testing

struct BodyError: Error, Equatable {
    let tag: String
}

@Suite("Single writer and group commit")
struct WriterTests {
    @Test func concurrentWritesAreAllCommittedInFewerCommits() async throws {
        let directory = try TemporaryDirectory()
        let store = try openStore(directory.file("db.sqlite3"))
        defer { store.close() }
        let tasks = 64
        let writesPerTask = 50
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for write in 0..<writesPerTask {
                        let id = "item-\(task)-\(write)"
                        let seq = try await store.write { transaction in
                            try transaction.execute("INSERT INTO items (id) VALUES (?)", [.text(id)])
                            return try transaction.journal(draft(id)).seq
                        }
                        #expect(seq > 0)
                    }
                }
            }
            try await group.waitForAll()
        }
        let total = tasks * writesPerTask
        let (rows, verification) = try store.read { connection in
            (try connection.query("SELECT count(*) FROM items")[0].int(0), try connection.journalVerify())
        }
        #expect(rows == total)
        #expect(verification.ok)
        #expect(verification.entries == total)
        let statistics = store.statistics
        print("group commit, \(total) writes: \(statistics)")
        #expect(statistics.committedWrites == total)
        #expect(statistics.commits < total, "group commit never grouped: \(statistics)")
        #expect(statistics.largestGroup > 1)
        #expect(store.journalHead.seq == total)
    }

    @Test func throwingBodyRollsBackOnlyItself() async throws {
        let directory = try TemporaryDirectory()
        let store = try openStore(directory.file("db.sqlite3"))
        defer { store.close() }

        // A holds the writer so B and C queue up behind it and run together in the next group.
        let started = Atomic<Bool>(false)
        async let first: Int = store.write { transaction in
            started.store(true, ordering: .sequentiallyConsistent)
            sleepMilliseconds(300)
            try transaction.execute("INSERT INTO items (id) VALUES ('a')")
            return try transaction.journal(draft("a")).seq
        }
        while !started.load(ordering: .sequentiallyConsistent) { await Task.yield() }

        async let second: Int = store.write { transaction in
            try transaction.execute("INSERT INTO items (id) VALUES ('b')")
            try transaction.journal(draft("b"))
            try transaction.enqueue(message("b", payload: ["x": 1]))
            throw BodyError(tag: "b")
        }
        sleepMilliseconds(50)
        async let third: Int = store.write { transaction in
            try transaction.execute("INSERT INTO items (id) VALUES ('c')")
            return try transaction.journal(draft("c")).seq
        }

        #expect(try await first == 1)
        do {
            _ = try await second
            Issue.record("the throwing body reported success")
        } catch let error as BodyError {
            #expect(error == BodyError(tag: "b"))
        }
        #expect(try await third == 2, "the rolled-back body's seq must be reused")

        let (ids, outbox, verification) = try store.read { connection in
            (
                try connection.query("SELECT id FROM items ORDER BY id").map { try $0.string(0) },
                try connection.query("SELECT count(*) FROM outbox")[0].int(0),
                try connection.journalVerify()
            )
        }
        #expect(ids == ["a", "c"])
        #expect(outbox == 0)
        #expect(verification.ok && verification.entries == 2)
        #expect(store.statistics.rolledBackWrites == 1)
    }

    @Test func bodyErrorReachesCallerUnchangedAndWriterGoesOn() async throws {
        let directory = try TemporaryDirectory()
        let store = try openStore(directory.file("db.sqlite3"))
        defer { store.close() }
        try await store.write { try $0.execute("INSERT INTO items (id) VALUES ('dup')") }
        do {
            try await store.write { try $0.execute("INSERT INTO items (id) VALUES ('dup')") }
            Issue.record("duplicate insert succeeded")
        } catch let error as StoreError {
            #expect(error.code == .constraint)
        }
        let value = try await store.write { transaction in
            try transaction.query("SELECT count(*) FROM items")[0].int(0)
        }
        #expect(value == 1)
    }

    @Test func journalRowsCannotBeChangedThroughTheStore() async throws {
        let directory = try TemporaryDirectory()
        let store = try openStore(directory.file("db.sqlite3"))
        defer { store.close() }
        try await store.write { try $0.journal(draft("x")) }
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.execute("UPDATE journal SET method = 'forged'") }
        }
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.execute("DELETE FROM journal") }
        }
        #expect(try store.read { try $0.journalVerify() }.ok)
    }

    @Test func readsDoNotWaitForTheWriter() async throws {
        let directory = try TemporaryDirectory()
        let store = try openStore(directory.file("db.sqlite3"))
        defer { store.close() }
        try await store.write { try $0.execute("INSERT INTO items (id) VALUES ('committed')") }

        let inside = Atomic<Bool>(false)
        async let slow: Void = store.write { transaction in
            try transaction.execute("INSERT INTO items (id) VALUES ('pending')")
            inside.store(true, ordering: .sequentiallyConsistent)
            sleepMilliseconds(700)
        }
        while !inside.load(ordering: .sequentiallyConsistent) { await Task.yield() }

        let clock = ContinuousClock()
        let start = clock.now
        let seen = try store.read { connection in
            try connection.query("SELECT id FROM items ORDER BY id").map { try $0.string(0) }
        }
        let elapsed = clock.now - start
        #expect(seen == ["committed"], "a read must not see uncommitted rows")
        #expect(elapsed < .milliseconds(300), "read waited \(elapsed) for the writer")
        try await slow
        #expect(try store.read { try $0.query("SELECT count(*) FROM items")[0].int(0) } == 2)
    }

    @Test func closedStoreRefusesWork() async throws {
        let directory = try TemporaryDirectory()
        let store = try openStore(directory.file("db.sqlite3"))
        try await store.write { try $0.execute("INSERT INTO items (id) VALUES ('x')") }
        store.close()
        do {
            try await store.write { try $0.execute("INSERT INTO items (id) VALUES ('y')") }
            Issue.record("write after close succeeded")
        } catch let error as StoreError {
            #expect(error.code == .closed)
        }
        #expect(throws: StoreError(.closed, "the store is closed")) { try store.read { _ in 1 } }
        let reopened = try openStore(directory.file("db.sqlite3"))
        defer { reopened.close() }
        #expect(try reopened.read { try $0.query("SELECT count(*) FROM items")[0].int(0) } == 1)
    }

    @Test func bodyThatEndsTheTransactionFailsAloneAndTheWriterRecovers() async throws {
        let directory = try TemporaryDirectory()
        let store = try openStore(directory.file("db.sqlite3"))
        defer { store.close() }
        do {
            try await store.write { transaction in
                try transaction.execute("INSERT INTO items (id) VALUES ('rogue')")
                try transaction.execute("ROLLBACK")
            }
            Issue.record("a body that rolled the transaction back was reported as committed")
        } catch let error as StoreError {
            #expect(error.code == .unavailable)
        }
        try await store.write { try $0.journal(draft("after")) }
        #expect(try store.read { try $0.journalVerify() }.ok)
        #expect(store.journalHead.seq == 1)
    }
}
