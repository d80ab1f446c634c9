import GatewayJSON
import GatewayStore
import GatewayTestSupport
import PostgresTestSupport
import Synchronization
import Testing

struct BodyError: Error, Equatable {
    let tag: String
}

@Suite("Single writer and group commit")
struct WriterTests {

    @Test(arguments: TestStore.allCases) func concurrentWritesAreAllCommittedInFewerCommits(_ engine: TestStore)
        async throws
    {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        let tasks = 64
        let writesPerTask = 50
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for write in 0..<writesPerTask {
                        let id = "item-\(task)-\(write)"
                        try await store.write { transaction in
                            try transaction.execute("INSERT INTO items (id) VALUES (?)", [.text(id)])
                            transaction.journal(draft(id))
                        }
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

    @Test(arguments: TestStore.allCases) func throwingBodyRollsBackOnlyItself(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        // A holds the writer until B and C have been handed to it, so they queue up behind A and
        // run together, in that order, in the next group. `Task.immediate` runs each caller up to
        // its first suspension, which is after `write` has queued its body: B is queued before C,
        // and both before A is let go.
        let holding = Atomic<Bool>(false)
        let release = Atomic<Bool>(false)
        // `Task.immediate` too: A is queued before this test waits, even when every thread of the
        // cooperative pool is busy with other suites.
        let first = Task.immediate {
            try await store.write { transaction in
                holding.store(true, ordering: .sequentiallyConsistent)
                // Bounded: were A never let go, it would commit at the deadline and the checks fail.
                // Long, because the test lets it go only once it runs again, which a cooperative
                // pool busy with other suites can delay by many seconds.
                Poll.until(timeout: .seconds(120)) { release.load(ordering: .sequentiallyConsistent) }
                try transaction.execute("INSERT INTO items (id) VALUES ('a')")
                transaction.journal(draft("a"))
            }
        }
        try await eventually("A holds the writer") { holding.load(ordering: .sequentiallyConsistent) }
        let second = Task.immediate {
            try await store.write { transaction -> Int in
                try transaction.execute("INSERT INTO items (id) VALUES ('b')")
                transaction.journal(draft("b"))
                try transaction.enqueue(message("b", payload: ["x": 1]))
                throw BodyError(tag: "b")
            }
        }
        let third = Task.immediate {
            try await store.write { transaction in
                try transaction.execute("INSERT INTO items (id) VALUES ('c')")
                transaction.journal(draft("c"))
            }
        }
        release.store(true, ordering: .sequentiallyConsistent)

        try await first.value
        do {
            _ = try await second.value
            Issue.record("the throwing body reported success")
        } catch let error as BodyError {
            #expect(error == BodyError(tag: "b"))
        }
        try await third.value
        let entries = try store.read { try $0.journalList().entries }
        #expect(entries.map(\.seq) == [1, 2], "the rolled-back body's seq must be reused")
        #expect(entries.map(\.draft.entityId) == ["a", "c"])

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
        #expect(store.statistics.commits == 2, "B and C were committed (and rolled back) in one group")
    }

    @Test(arguments: TestStore.allCases) func bodyErrorReachesCallerUnchangedAndWriterGoesOn(_ engine: TestStore)
        async throws
    {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
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

    @Test(arguments: TestStore.allCases) func journalRowsCannotBeChangedThroughTheStore(_ engine: TestStore)
        async throws
    {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        try await store.write { $0.journal(draft("x")) }
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.execute("UPDATE journal SET method = 'forged'") }
        }
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.execute("DELETE FROM journal") }
        }
        #expect(try store.read { try $0.journalVerify() }.ok)
    }

    @Test(arguments: TestStore.allCases) func readsDoNotWaitForTheWriter(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        try await store.write { try $0.execute("INSERT INTO items (id) VALUES ('committed')") }

        // The write holds the writer (inside its transaction) until the test lets it go. Had the
        // read to wait for the writer, the write would give up holding at the deadline, commit,
        // and the read would see it finished.
        let inside = Atomic<Bool>(false)
        let release = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
        async let slow: Void = store.write { transaction in
            try transaction.execute("INSERT INTO items (id) VALUES ('pending')")
            inside.store(true, ordering: .sequentiallyConsistent)
            Poll.until { release.load(ordering: .sequentiallyConsistent) }
            finished.store(true, ordering: .sequentiallyConsistent)
        }
        try await eventually("the write holds the writer") { inside.load(ordering: .sequentiallyConsistent) }

        let seen = try store.read { connection in
            try connection.query("SELECT id FROM items ORDER BY id").map { try $0.string(0) }
        }
        let writeFinishedFirst = finished.load(ordering: .sequentiallyConsistent)
        #expect(!writeFinishedFirst, "the read waited for the writer")
        #expect(seen == ["committed"], "a read must not see uncommitted rows")
        release.store(true, ordering: .sequentiallyConsistent)
        try await slow
        #expect(try store.read { try $0.query("SELECT count(*) FROM items")[0].int(0) } == 2)
    }

    @Test(arguments: TestStore.allCases) func closedStoreRefusesWork(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        try await store.write { try $0.execute("INSERT INTO items (id) VALUES ('x')") }
        store.close()
        do {
            try await store.write { try $0.execute("INSERT INTO items (id) VALUES ('y')") }
            Issue.record("write after close succeeded")
        } catch let error as StoreError {
            #expect(error.code == .closed)
        }
        #expect(throws: StoreError(.closed, "the store is closed")) { try store.read { _ in 1 } }
        let reopened = try temporary.reopen()
        defer { reopened.close() }
        #expect(try reopened.read { try $0.query("SELECT count(*) FROM items")[0].int(0) } == 1)
    }

    @Test(arguments: TestStore.allCases) func bodyThatEndsTheTransactionFailsAloneAndTheWriterRecovers(
        _ engine: TestStore
    ) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        do {
            try await store.write { transaction in
                try transaction.execute("INSERT INTO items (id) VALUES ('rogue')")
                try transaction.execute("ROLLBACK")
            }
            Issue.record("a body that rolled the transaction back was reported as committed")
        } catch let error as StoreError {
            #expect(error.code == .unavailable)
        }
        try await store.write { $0.journal(draft("after")) }
        #expect(try store.read { try $0.journalVerify() }.ok)
        #expect(store.journalHead.seq == 1)
    }
}
