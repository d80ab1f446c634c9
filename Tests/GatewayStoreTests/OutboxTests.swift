import GatewayJSON
import GatewayStore
import Testing

@Suite("Outbox")
struct OutboxTests: TemporaryStoreSuite {
    /// Each test's own store: Swift Testing makes a suite value per test.
    let temporary: TemporaryStore
    init() throws { temporary = try TemporaryStore() }

    @Test func eventIsStoredWithItsMutation() async throws {
        let body: JSONValue = ["publisher": "pms-gateway", "topic": "OIDC_CLIENT_CREATED", "event": ["id": "1"]]
        let seq = try await store.write { transaction in
            try transaction.journal(draft("client-1"))
            try transaction.enqueueOutbox(
                target: "esignet", topic: "oidc-client", orderingKey: "client-1", body: ["a": 1])
            return try transaction.enqueueOutbox(
                target: "ida", topic: "OIDC_CLIENT_CREATED", orderingKey: "client-1", body: body)
        }
        #expect(seq == 2)
        let rows = try store.read { connection in
            try connection.query(
                """
                SELECT seq, target, topic, ordering_key, body, status, attempts, last_error, created_at,
                       delivered_at, next_attempt_at
                FROM outbox ORDER BY seq
                """)
        }
        try #require(rows.count == 2)
        let row = rows[1]
        #expect(try row.int("seq") == 2)
        #expect(try row.string("target") == "ida")
        #expect(try row.string("topic") == "OIDC_CLIENT_CREATED")
        #expect(try row.string("ordering_key") == "client-1")
        #expect(try JSONValue.parse(row.string("body")) == body)
        #expect(try row.string("body") == body.serialized())
        #expect(try row.string("status") == OutboxStatus.pending.rawValue)
        #expect(try row.int("attempts") == 0)
        #expect(try row.optionalString("last_error") == nil)
        #expect(try row.optionalString("delivered_at") == nil)
        #expect(try row.string("created_at").count == 24)
        #expect(try row.optionalString("next_attempt_at") == row.string("created_at"))
    }

    @Test func countsFollowTheRowsInTheirTransaction() async throws {
        for key in ["a", "b", "c"] {
            try await store.write { try $0.enqueueOutbox(target: "ida", topic: "T", orderingKey: key, body: nil) }
        }
        #expect(try store.read { try $0.outboxCounts() } == (pending: 3, failed: 0))
        try await store.write { try $0.execute("UPDATE outbox SET status = 'failed' WHERE ordering_key = 'a'") }
        try await store.write { try $0.execute("UPDATE outbox SET status = 'delivered' WHERE ordering_key = 'b'") }
        #expect(try store.read { try $0.outboxCounts() } == (pending: 1, failed: 1))
        // A body that throws takes its rows and their counts with it.
        _ = try? await store.write { transaction -> Int in
            try transaction.enqueueOutbox(target: "ida", topic: "T", orderingKey: "d", body: nil)
            throw CancellationError()
        }
        #expect(try store.read { try $0.outboxCounts() } == (pending: 1, failed: 1))
    }

    @Test func statusIsConstrained() async throws {
        try await store.write { try $0.enqueueOutbox(target: "ida", topic: "T", orderingKey: "k", body: nil) }
        do {
            try await store.write { try $0.execute("UPDATE outbox SET status = 'lost'") }
            Issue.record("an unknown status was accepted")
        } catch let error as StoreError {
            #expect(error.code == .constraint)
        }
    }
}
