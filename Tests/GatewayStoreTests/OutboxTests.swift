import GatewayJSON
import GatewayStore
import PostgresTestSupport
import Testing

@Suite("Outbox")
struct OutboxTests {

    /// Several messages go in one INSERT (four rows at most per statement): in their order, each
    /// with its seq, on both stores.
    @Test(arguments: TestStore.allCases) func messagesEnqueuedTogetherKeepTheirOrder(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let keys = (1...6).map { "client-\($0)" }
        let seqs = try await temporary.store.write { transaction in
            try transaction.enqueue(keys.map { EncodedOutboxMessage(message($0, payload: ["k": .string($0)])) })
        }
        #expect(seqs == Array(1...6))
        let rows = try temporary.store.read { connection in
            try connection.query("SELECT seq, ordering_key, body FROM outbox ORDER BY seq").map { row in
                (try row.int(0), try row.string(1), try JSONValue.parse(row.string(2)))
            }
        }
        #expect(rows.map(\.0) == seqs)
        #expect(rows.map(\.1) == keys)
        #expect(rows.map(\.2) == keys.map { ["k": .string($0)] })
    }

    @Test(arguments: TestStore.allCases) func eventIsStoredWithItsMutation(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        let payload: JSONObject = ["clientData": ["clientId": "client-1"]]
        let seq = try await store.write { transaction in
            transaction.journal(draft("client-1"))
            try transaction.enqueue(message("client-1", payload: ["a": 1], target: .esignet))
            return try transaction.enqueue(
                OutboxMessage(target: .ida, topic: .oidcClientCreated, key: "client-1", payload: payload))
        }
        #expect(seq == 2)
        let rows = try store.read { connection in
            try connection.query(
                """
                SELECT seq, target, topic, ordering_key, body, message_id, status, attempts, last_error, created_at,
                       delivered_at, next_attempt_ms
                FROM outbox ORDER BY seq
                """)
        }
        try #require(rows.count == 2)
        let row = rows[1]
        #expect(try row.int("seq") == 2)
        #expect(try row.string("target") == "ida")
        #expect(try row.string("topic") == "OIDC_CLIENT_CREATED")
        #expect(try row.string("ordering_key") == "client-1")
        #expect(try JSONValue.parse(row.string("body")) == .object(payload))
        #expect(try row.string("body") == JSONValue.object(payload).serialized())
        #expect(try row.string("message_id").count == 36)
        #expect(try row.string("message_id") != rows[0].string("message_id"))
        #expect(try row.string("status") == OutboxStatus.pending.rawValue)
        #expect(try row.int("attempts") == 0)
        #expect(try row.optionalString("last_error") == nil)
        #expect(try row.optionalString("delivered_at") == nil)
        let createdAt = try row.string("created_at")
        #expect(createdAt.count == 24)
        // Due at once: the integer due time is the creation instant.
        #expect(try UTCTimestamp.format(epochMilliseconds: Int64(row.int("next_attempt_ms"))) == createdAt)
    }

    @Test(arguments: TestStore.allCases) func listAndRetrySeeBookkeepingOnly(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        for index in 1...3 {
            try await store.write { try $0.enqueue(message("k\(index)", payload: ["licenseKey": "SECRET"])) }
        }
        try await store.write { try $0.execute("UPDATE outbox SET status = 'failed', attempts = 20 WHERE seq = 2") }
        let failed = try store.read { try $0.outboxEntries(status: .failed, target: nil, after: 0, limit: 10) }
        #expect(failed.map(\.seq) == [2])
        #expect(
            try store.read { try $0.outboxEntries(status: nil, target: .ida, after: 1, limit: 1) }.map(\.seq) == [2])
        guard case .notFailed(let entry) = try await store.write({ try $0.retryOutbox(seq: 1) }) else {
            Issue.record("a pending row was retried")
            return
        }
        #expect(entry.status == "pending")
        guard case .notFound = try await store.write({ try $0.retryOutbox(seq: 99) }) else {
            Issue.record("an unknown row was found")
            return
        }
        guard case .retried(let retried) = try await store.write({ try $0.retryOutbox(seq: 2) }) else {
            Issue.record("a failed row was not retried")
            return
        }
        #expect(retried.status == "pending" && retried.attempts == 0)
        #expect(try store.read { try $0.outboxCounts() } == (pending: 3, failed: 0))
    }

    @Test(arguments: TestStore.allCases) func countsFollowTheRowsInTheirTransaction(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        for key in ["a", "b", "c"] {
            try await store.write { try $0.enqueue(message(key)) }
        }
        #expect(try store.read { try $0.outboxCounts() } == (pending: 3, failed: 0))
        try await store.write { try $0.execute("UPDATE outbox SET status = 'failed' WHERE ordering_key = 'a'") }
        try await store.write { try $0.execute("UPDATE outbox SET status = 'delivered' WHERE ordering_key = 'b'") }
        #expect(try store.read { try $0.outboxCounts() } == (pending: 1, failed: 1))
        // A body that throws takes its rows and their counts with it.
        _ = try? await store.write { transaction -> Int in
            try transaction.enqueue(message("d"))
            throw CancellationError()
        }
        #expect(try store.read { try $0.outboxCounts() } == (pending: 1, failed: 1))
    }

    /// On PostgreSQL each writing server process keeps its own count shard (two daemons never wait
    /// on one counter row); opening a store folds the old shards, so the table stays small.
    @Test func countShardsAreFoldedWhenAStoreOpens() async throws {
        let temporary = try TemporaryStore(.postgresql)
        for key in ["a", "b"] { try await temporary.store.write { try $0.enqueue(message(key)) } }
        let second = try temporary.reopen()
        try await second.write { try $0.enqueue(message("c")) }
        second.close()
        temporary.store.close()
        let third = try temporary.reopen()
        defer { third.close() }
        let (shards, counts) = try third.read { connection in
            (
                try connection.query("SELECT count(*) FROM outbox_counts WHERE shard <> 0")[0].int(0),
                try connection.outboxCounts()
            )
        }
        #expect(shards == 0)
        #expect(counts == (pending: 3, failed: 0))
    }

    @Test(arguments: TestStore.allCases) func statusIsConstrained(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        try await store.write { try $0.enqueue(message("k")) }
        do {
            try await store.write { try $0.execute("UPDATE outbox SET status = 'lost'") }
            Issue.record("an unknown status was accepted")
        } catch let error as StoreError {
            #expect(error.code == .constraint)
        }
    }
}
