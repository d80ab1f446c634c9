import GatewayDelivery
import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Testing

@Suite struct OutboxQueriesTests {
    @Test func listFiltersPagesAndNeverShowsBodies() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        for index in 1...5 {
            try await enqueue(
                store, target: index.isMultiple(of: 2) ? "ida" : "esignet", topic: "T\(index)", key: "k",
                body: ["licenseKey": "SECRET"])
        }
        try await store.write { transaction in
            try transaction.execute(
                "UPDATE outbox SET status = 'delivered', delivered_at = '2026-01-01T00:00:00.000Z', attempts = 1 WHERE seq = 1"
            )
            try transaction.execute(
                "UPDATE outbox SET status = 'failed', last_error = 'HTTP 500', attempts = 20 WHERE seq = 2")
        }
        let all = try OutboxQueries.list([:], store: store)
        let entries = try #require(all["entries"]?.arrayValue)
        #expect(entries.count == 5)
        #expect(
            entries[0].objectValue?.keys == [
                "seq", "target", "topic", "status", "attempts", "lastError", "createdAt", "deliveredAt",
            ])
        #expect(entries[0]["status"] == "delivered" && entries[0]["deliveredAt"] == "2026-01-01T00:00:00.000Z")
        #expect(entries[1]["lastError"] == "HTTP 500" && entries[1]["attempts"] == 20)
        #expect(!all.serialized().contains("SECRET"))

        #expect(
            try OutboxQueries.list(["status": "failed"], store: store)["entries"]?.arrayValue?.map { $0["seq"] } == [2])
        #expect(
            try OutboxQueries.list(["target": "ida"], store: store)["entries"]?.arrayValue?.map { $0["seq"] } == [2, 4])
        #expect(
            try OutboxQueries.list(["after": 2, "limit": 2], store: store)["entries"]?.arrayValue?.map { $0["seq"] }
                == [3, 4])
        #expect(
            try OutboxQueries.list(["status": "pending", "target": "esignet"], store: store)["entries"]?.arrayValue?.map
            { $0["seq"] } == [3, 5])

        for (params, message) in [
            (
                ["status": "done"] as JSONObject,
                "Invalid request parameter - must be one of pending, delivered, failed :request.status"
            ),
            (["target": 1], "Invalid request parameter - must be a string :request.target"),
            (["limit": 0], "Invalid request parameter - must be at least 1 and at most 1000 :request.limit"),
            (["after": -1], "Invalid request parameter - must be at least 0 :request.after"),
        ] {
            #expect(throws: OutboxError.self) { try OutboxQueries.list(params, store: store) }
            do { _ = try OutboxQueries.list(params, store: store) } catch let error as OutboxError {
                #expect(error.message == message)
                #expect(error.code == .invalidParams)
            }
        }
        let counts = try storeRead(store)
        #expect(counts.pending == 3 && counts.failed == 1)
    }
}
