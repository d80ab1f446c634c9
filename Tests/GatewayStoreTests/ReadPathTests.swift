import GatewayStore
import GatewayTestSupport
import Synchronization
import Testing

/// Reads that scale with threads (issue 13): each thread keeps its connection, and a cached
/// answer lives exactly until the next commit.
@Suite struct ReadPathTests: TemporaryStoreSuite {
    let temporary: TemporaryStore

    init() throws {
        temporary = try TemporaryStore()
    }

    /// The pool this replaced kept 4 idle connections, so more threads reading at once than that
    /// opened and closed a connection on most reads. Now each thread keeps one.
    @Test func threadsReadingAtOnceReuseTheirConnections() throws {
        // Eight threads of their own (not a pool that may run fewer at once), four slots each: a
        // thread finds its few candidate slots all busy, and opens a connection for one read, only
        // when thread hashes cluster.
        let slots = 32
        let readers = try Store.open(
            path: directory.file("reads.sqlite3"), migrations: testSchema(through: 4), readConnections: slots,
            logger: testLogger)
        defer { readers.close() }
        let failures = Atomic<Int>(0)
        let threads = (0..<8).compactMap { _ in
            Threads.start {
                for _ in 0..<500 {
                    do {
                        _ = try readers.read { connection in try connection.query("SELECT count(*) FROM journal") }
                    } catch {
                        failures.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        #expect(threads.count == 8)
        threads.forEach(Threads.join)
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(readers.readConnectionsOpened <= slots, "4,000 reads on 8 threads")
    }

    @Test func aCachedAnswerIsServedUntilTheNextCommit() async throws {
        let bodies = Atomic<Int>(0)
        let count: @Sendable () throws -> Int = {
            try store.read(cachedAs: "items") { connection in
                bodies.add(1, ordering: .relaxed)
                return try connection.query("SELECT count(*) FROM items")[0].int(0)
            }
        }
        // Both reads on this thread, with nothing between them: the second comes from the cache.
        let (first, second) = (try count(), try count())
        #expect(first == 0 && second == 0)
        #expect(bodies.load(ordering: .relaxed) == 1)

        try await store.write { transaction in try transaction.execute("INSERT INTO items (id) VALUES ('a')") }
        #expect(try count() == 1, "the commit retired the cached answer")
        #expect(bodies.load(ordering: .relaxed) == 2)
    }

    /// A write that throws changes nothing, and the answer read after it says so.
    @Test func aWriteThatThrowsLeavesTheAnswerAsItWas() async throws {
        struct Refused: Error {}
        let read: @Sendable () throws -> Int = {
            try store.read(cachedAs: "items") { connection in
                try connection.query("SELECT count(*) FROM items")[0].int(0)
            }
        }
        #expect(try read() == 0)
        await #expect(throws: Refused.self) {
            try await store.write { transaction in
                try transaction.execute("INSERT INTO items (id) VALUES ('a')")
                throw Refused()
            }
        }
        #expect(try read() == 0)
    }
}
