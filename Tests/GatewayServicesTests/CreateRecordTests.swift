import Foundation
import GatewayCrypto
import GatewayJSON
import GatewayServices
import Testing

/// What one successful create leaves behind: the row, one journal entry and two outbox rows.
@Suite struct CreateRecordTests {
    static var timestamp: Regex<Substring> { #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/# }
    static var uuid: Regex<Substring> { #/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/# }

    @Test func createStoresSortedClaimsAndReturnsTheKeyHash() async throws {
        try await TestEnvironment.with { env throws in
            let key = TestKeys.rfc7517
            let result = try await env.registry.create(TestEnvironment.createParams(key), context: env.context)
            #expect(result == ["clientId": "r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs", "status": "ACTIVE"])
            let client = try env.registry.get(["clientId": "r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs"])
            #expect(client["claims"] == JSONValue(DerivationTests.sampleClaims))
            #expect(client["acrValues"] == JSONValue(DerivationTests.sampleACRs))
            #expect(client["policyName"] == "Sample auth policy")
            #expect(client["status"] == "ACTIVE")
            #expect(client["publicKey"] == .object(key))
            let created = try #require(client["createdAt"]?.stringValue)
            #expect(created.wholeMatch(of: Self.timestamp) != nil)
            #expect(client["updatedAt"]?.stringValue == created)
        }
    }

    @Test func journalEntryHasTheKeyHashNotTheKey() async throws {
        try await TestEnvironment.with { env throws in
            let key = TestKeys.rsa2048[1].with("kid", "k1")
            let clientId = try await env.create(TestEnvironment.createParams(key))
            let entries = try env.journal(entityId: clientId)
            try #require(entries.count == 1)
            let entry = entries[0]
            #expect(entry.method == "client.create")
            #expect(entry.entityType == "client")
            #expect(entry.requestId == "7")
            let hash = SHA256Digest.hex(JSONValue.object(key).canonicalBytes())
            #expect(entry.change["publicKey"] == .string(hash))
            #expect(entry.change["clientId"] == .string(clientId))
            #expect(entry.change["claims"] == JSONValue(DerivationTests.sampleClaims))
            #expect(!entry.change.canonicalText().contains(key["n"]!.stringValue!))
            let peer = try env.store.read {
                try $0.query("SELECT peer_uid, peer_gid, peer_pid FROM journal WHERE entity_id = ?", [.text(clientId)])[
                    0]
            }
            #expect(try peer.int(0) == 1000 && peer.int(1) == 1000 && peer.int(2) == 4242)
        }
    }

    @Test func outboxRowsCarryTheExactESignetAndIDABodies() async throws {
        try await TestEnvironment.with { env throws in
            let key = TestKeys.p256[2]
            let clientId = try await env.create(TestEnvironment.createParams(key))
            let rows = try env.outboxBodies(orderingKey: clientId)
            try #require(rows.count == 2)

            let esignet = rows[0]
            #expect(esignet.target == "esignet")
            #expect(esignet.topic == "OIDC_CLIENT_CREATED")
            // eSignet's create request object (delivery adds the path, method and requestTime).
            let expectedESignet: JSONValue = [
                "clientId": .string(clientId), "clientName": "Resident portal", "publicKey": .object(key),
                "relyingPartyId": "auth-1", "userClaims": JSONValue(DerivationTests.sampleClaims),
                "authContextRefs": JSONValue(DerivationTests.sampleACRs),
                "logoUri": "https://rp.example.org/logo.png",
                "redirectUris": ["https://rp.example.org/callback", "io.mosip.residentapp://oauth"],
                "grantTypes": ["authorization_code"], "clientAuthMethods": ["private_key_jwt"],
            ]
            #expect(esignet.body == expectedESignet)

            let ida = rows[1]
            #expect(ida.target == "ida")
            #expect(ida.topic == "OIDC_CLIENT_CREATED")
            // IDA's event data (delivery wraps it in MOSIP's EventModel).
            let sample = try Reference.json("sample-auth-policy.json")
            let expectedIDA: JSONValue = [
                "partnerData": [
                    "partnerId": "auth-1", "partnerName": "Relying Party One", "certificateData": "CERT-1",
                    "partnerStatus": "ACTIVE",
                ],
                "policyData": [
                    "policyId": "pol-auth", "policyName": "Sample auth policy", "policy": sample,
                    "policyStatus": "ACTIVE", "policyDescription": "desc",
                    "policyCommenceOn": "2026-01-01T00:00:00.000Z",
                    "policyExpiresOn": "2027-01-01T00:00:00.000Z",
                ],
                "clientData": [
                    "clientId": .string(clientId), "clientName": "Resident portal", "clientStatus": "ACTIVE",
                    "userClaims": JSONValue(DerivationTests.sampleClaims),
                    "authContextRefs": JSONValue(DerivationTests.sampleACRs),
                    "clientAuthMethods": ["private_key_jwt"],
                ],
            ]
            #expect(ida.body == expectedIDA)
        }
    }

    /// Journal entry, client row and both outbox rows share one transaction: no read snapshot, taken
    /// while creates commit, ever sees one without the others.
    @Test func stateJournalAndOutboxCommitTogether() async throws {
        try await TestEnvironment.with { env throws in
            let keys = Array(TestKeys.p256[3..<33])
            let creates = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, key) in keys.enumerated() {
                        group.addTask {
                            try await env.create(TestEnvironment.createParams(key, name: "client \(index)"))
                        }
                    }
                    try await group.waitForAll()
                }
            }
            var snapshots = 0
            for _ in 0..<1_000_000 {
                let (clients, journal, outbox) = try env.store.read { connection in
                    (
                        try connection.query("SELECT count(*) FROM clients")[0].int(0),
                        try connection.query("SELECT count(*) FROM journal WHERE method = 'client.create'")[0].int(0),
                        try connection.query("SELECT count(*) FROM outbox")[0].int(0)
                    )
                }
                #expect(journal == clients)
                #expect(outbox == 2 * clients)
                snapshots += 1
                if clients == keys.count { break }
                await Task.yield()
            }
            try await creates.value
            #expect(snapshots >= 1)
            #expect(try env.count("SELECT count(*) FROM clients") == keys.count)
        }
    }
}
