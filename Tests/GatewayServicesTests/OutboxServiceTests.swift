import GatewayJSON
import GatewayStore
import Synchronization
import Testing

@testable import GatewayServices

/// `outbox.list` and `outbox.retry` (SPEC 5): bookkeeping only, never a payload; a retry is
/// journalled and wakes delivery; a refused retry changes and journals nothing.
@Suite struct OutboxServiceTests {
    /// How often the service woke delivery.
    final class Wakes: Sendable {
        let count = Atomic(0)
    }

    static func service(_ fixture: LicenseFixture, wakes: Wakes = Wakes()) -> OutboxService {
        OutboxService(store: fixture.store) { wakes.count.add(1, ordering: .relaxed) }
    }

    static func enqueue(_ fixture: LicenseFixture, count: Int) async throws {
        for index in 1...count {
            let message = OutboxMessage(
                target: index.isMultiple(of: 2) ? .ida : .esignet, topic: .oidcClientCreated, key: "k",
                payload: ["licenseKey": "SECRET"])
            try await fixture.store.write { try $0.enqueue(message) }
        }
    }

    @Test func listFiltersPagesAndNeverShowsPayloads() async throws {
        let fixture = try LicenseFixture()
        try await Self.enqueue(fixture, count: 5)
        try await fixture.sql(
            "UPDATE outbox SET status = 'delivered', delivered_at = '2026-01-01T00:00:00.000Z', attempts = 1 WHERE seq = 1"
        )
        try await fixture.sql(
            "UPDATE outbox SET status = 'failed', last_error = 'HTTP 500', attempts = 20 WHERE seq = 2")
        let service = Self.service(fixture)
        func seqs(_ status: OutboxStatus?, _ target: OutboxMessage.Target?, after: Int = 0, limit: Int = 100) throws
            -> [Int]
        {
            try service.list(.init(status: status, target: target, after: after, limit: limit)).map(\.seq)
        }
        let all = try service.list(.init(status: nil, target: nil, after: 0, limit: 100))
        #expect(all.count == 5)
        #expect(all[0].status == "delivered" && all[0].deliveredAt == "2026-01-01T00:00:00.000Z")
        #expect(all[1].lastError == "HTTP 500" && all[1].attempts == 20)
        #expect(!"\(all)".contains("SECRET"))
        #expect(try seqs(.failed, nil) == [2])
        #expect(try seqs(nil, .ida) == [2, 4])
        #expect(try seqs(nil, nil, after: 2, limit: 2) == [3, 4])
        #expect(try seqs(.pending, .esignet) == [3, 5])
    }

    @Test func retryPutsAFailedRowBackJournalsItAndWakesDelivery() async throws {
        let fixture = try LicenseFixture()
        try await Self.enqueue(fixture, count: 1)
        try await fixture.sql("UPDATE outbox SET status = 'failed', last_error = 'HTTP 500', attempts = 20")
        let wakes = Wakes()
        let entry = try await Self.service(fixture, wakes: wakes).retry(seq: 1, context: fixture.context)
        #expect(entry.status == "pending" && entry.attempts == 0)
        #expect(wakes.count.load(ordering: .relaxed) == 1)
        let journal = try fixture.rows("SELECT method, entity_type, entity_id, request_id, change FROM journal")
        try #require(journal.count == 1)
        #expect(try journal[0].string("method") == "outbox.retry")
        #expect(try journal[0].string("entity_type") == "outbox")
        #expect(try journal[0].string("entity_id") == "1")
        #expect(try journal[0].string("request_id") == "7")
        #expect(!(try journal[0].string("change")).contains("SECRET"))
    }

    @Test func retryRefusesUnknownAndNonFailedRows() async throws {
        let fixture = try LicenseFixture()
        try await Self.enqueue(fixture, count: 1)
        let wakes = Wakes()
        let service = Self.service(fixture, wakes: wakes)
        let notFailed = await gatewayError { _ = try await service.retry(seq: 1, context: fixture.context) }
        #expect(notFailed?.errorCode == "GW_OUTBOX_NOT_FAILED" && notFailed?.kind == .conflict)
        let unknown = await gatewayError { _ = try await service.retry(seq: 999, context: fixture.context) }
        #expect(unknown?.errorCode == "GW_NOT_FOUND" && unknown?.kind == .notFound)
        #expect(try fixture.rows("SELECT seq FROM journal").isEmpty, "a refused retry journals nothing")
        #expect(wakes.count.load(ordering: .relaxed) == 0)
    }
}

/// SPEC 7.3: a rejected eSignet call is retried built from the client's current state, so an
/// operator fixes the cause with `client.update` and then `outbox.retry`.
@Suite struct RejectedRetryTests {
    @Test func aRejectedCreateIsResentAsTheClientIsNow() async throws {
        try await TestEnvironment.with { env throws in
            let clientId = try await env.create(TestEnvironment.createParams(TestKeys.p256[5]))
            let seq = try #require(
                try env.store.read {
                    try $0.query(
                        "SELECT seq FROM outbox WHERE ordering_key = ? AND target = 'esignet'", [.text(clientId)])
                }.first?.int(0))
            try await env.sql(
                """
                UPDATE outbox SET status = 'rejected', attempts = 1, error_code = 'invalid_redirect_uri',
                    last_error = 'invalid_redirect_uri (Invalid redirect URI)', updated_at = 'then' WHERE seq = \(seq)
                """)
            // client.get and client.list show where eSignet stands.
            let rejected: JSONValue = [
                "state": "rejected", "errorCode": "invalid_redirect_uri",
                "message": "invalid_redirect_uri (Invalid redirect URI)", "attempts": 1, "updatedAt": "then",
            ]
            #expect(try env.registry.get(["clientId": .string(clientId)])["esignet"] == rejected)
            #expect(try env.registry.list([:])["clients"]?.arrayValue?.first?["esignet"] == rejected)
            _ = try await env.registry.update(
                TestEnvironment.updateParams(clientId, name: "Fixed portal"), context: env.context)
            let service = OutboxService(store: env.store) {}
            let entry = try await service.retry(seq: seq, context: env.context)
            #expect(entry.status == "pending" && entry.attempts == 0)
            let row = try env.store.read {
                try $0.query("SELECT body, error_code, topic FROM outbox WHERE seq = ?", [SQLValue(seq)])[0]
            }
            // Still the create (eSignet never had the client), with today's name.
            #expect(try row.string(2) == "OIDC_CLIENT_CREATED")
            #expect(try JSONValue.parse(row.string(0))["clientName"] == "Fixed portal")
            #expect(try JSONValue.parse(row.string(0))["clientId"] == .string(clientId))
            #expect(try row.optionalString(1) == nil)
        }
    }
}
