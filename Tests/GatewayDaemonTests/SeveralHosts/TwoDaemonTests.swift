import Foundation
import GatewayJSON
import GatewayTestSupport
import PostgresTestSupport
import Testing

/// Two daemons on one PostgreSQL database are one registry (SPEC 9): what one acknowledges the
/// other reads at once, and uniqueness holds across them.
@Suite(.tags(.process)) struct TwoDaemonTests {
    /// Every kind of state, written through one daemon and read through the other right after the
    /// acknowledgement, in both directions: partners (inserted and changed), clients (created and
    /// updated), a partner's status that the other daemon's next create must see, and a license
    /// that the other daemon's `license.validate` (IDA's hot path, cached on SQLite) must see
    /// generated and then de-activated. A daemon that answered from a cache or an old snapshot
    /// would fail here.
    @Test func whatOneAcknowledgesTheOtherReadsAtOnce() throws {
        let database = try TemporaryPostgresDatabase.createNow()
        defer { try? database.dropNow() }
        let (a, b) = try SeveralHosts.pair(on: database)
        let clientA = try a.client()
        let clientB = try b.client()
        let healthA = try clientA.call("system.health")
        let healthB = try clientB.call("system.health")
        #expect(healthA["store"] == "postgresql" && healthB["store"] == "postgresql")
        #expect(healthA["node"] == "host-a" && healthB["node"] == "host-b")

        try ClientFlowTests.seed(clientA)
        #expect(try clientB.call("policy.get", ["policyId": "auth-1"])["policyId"] == "auth-1")
        for round in 0..<20 {
            let (writer, reader) = round.isMultiple(of: 2) ? (clientA, clientB) : (clientB, clientA)
            let id = "p\(round)"
            _ = try writer.call("partner.put", Fixtures.partner(id))
            #expect(try reader.call("partner.get", ["partnerId": .string(id)])["status"] == "ACTIVE")
            _ = try writer.call("partner.put", Fixtures.partner(id, status: "INACTIVE"))
            #expect(try reader.call("partner.get", ["partnerId": .string(id)])["status"] == "INACTIVE")

            let created = try writer.call("client.create", ClientFlowTests.create(key: FakeKeys.rsa(round)))
            let clientId = try #require(created["clientId"]?.stringValue)
            let onReader = try reader.call("client.get", ["clientId": .string(clientId)])
            #expect(onReader == (try writer.call("client.get", ["clientId": .string(clientId)])))
            _ = try reader.call("client.update", Self.update(clientId, name: "renamed \(round)"))
            #expect(try writer.call("client.get", ["clientId": .string(clientId)])["name"] == .string("renamed \(round)"))
        }

        // A refusal that depends on the other daemon's last write.
        _ = try clientB.call("partner.put", Fixtures.partner("rp-1", status: "INACTIVE"))
        #expect(try clientA.errorCode("client.create", ClientFlowTests.create(key: FakeKeys.rsa(100))) == "PMS_PMP_016")
        _ = try clientA.call("partner.put", Fixtures.partner("rp-1"))
        #expect(try clientB.call("client.create", ClientFlowTests.create(key: FakeKeys.rsa(100)))["status"] == "ACTIVE")

        try LicenseFlowTests.seed(clientB)
        let key = try #require(try clientA.call("license.generate", ["mispId": "esignet"])["licenseKey"]?.stringValue)
        #expect(try clientB.call("license.validate", ["licenseKey": .string(key)])["valid"] == true)
        #expect(try clientB.errorCode("license.generate", ["mispId": "esignet"]) == "PMS_MSP_416")
        _ = try clientB.call(
            "license.update", ["providerId": "esignet", "licenseKey": .string(key), "licenseKeyStatus": "De-active"])
        let revoked = try clientA.call("license.validate", ["licenseKey": .string(key)])
        #expect(revoked["valid"] == false && revoked["errorCode"] == "IDA-MPA-017")

        // One registry, one journal: the same counts and the same chain from either side.
        let finalA = try clientA.call("system.health")
        let finalB = try clientB.call("system.health")
        #expect(finalA["clients"] == 21 && finalB["clients"] == 21)
        #expect(finalA["journalHead"] == finalB["journalHead"])
        #expect(finalA["outboxPending"] == finalB["outboxPending"])
        let verdictA = try clientA.call("journal.verify")
        let verdictB = try clientB.call("journal.verify")
        #expect(verdictA["ok"] == true)
        #expect(verdictA == verdictB)
        #expect(verdictA["entries"] == finalA["journalHead"])
    }

    /// 16 `client.create` of one key at once, 8 through each daemon, for 10 keys in a row: each
    /// time exactly one wins and the other 15 get `PMS_ESI_001` (-32002), and the loser leaves
    /// nothing behind (one journal entry and one eSignet and one IDA row per key). The 16 requests
    /// are written to 16 open connections back to back before any reply is read, so they meet in
    /// the daemons and in the database at once (threads would only get two cores here).
    @Test func sixteenConcurrentCreatesOfOneKeyOneWins() throws {
        let database = try TemporaryPostgresDatabase.createNow()
        defer { try? database.dropNow() }
        let (a, b) = try SeveralHosts.pair(on: database)
        try ClientFlowTests.seed(try a.client())
        let connections = try (0..<16).map { index in try (index.isMultiple(of: 2) ? a : b).client() }
        var winners: [String] = []
        for round in 0..<10 {
            let request =
                JSONValue.object([
                    "jsonrpc": "2.0", "id": JSONValue(round), "method": "client.create",
                    "params": ClientFlowTests.create(key: FakeKeys.rsa(1000 + round)),
                ]).serialized() + "\n"
            for connection in connections { try connection.send(request) }
            let replies = try connections.map { try $0.readJSON() }
            let won = replies.filter { $0["result"]?["status"] == "ACTIVE" }
            let lost = replies.filter {
                $0["error"]?["code"] == -32002 && $0["error"]?["data"]?["errorCode"] == "PMS_ESI_001"
            }
            #expect(won.count == 1, "round \(round): \(replies.map { $0.serialized() })")
            #expect(lost.count == 15, "round \(round): \(replies.map { $0.serialized() })")
            if let clientId = won.first?["result"]?["clientId"]?.stringValue { winners.append(clientId) }
        }

        let client = try b.client()
        #expect(try client.call("system.health")["clients"] == 10)
        #expect(try client.call("client.list", ["limit": 500])["clients"]?.arrayValue?.count == 10)
        for clientId in winners {
            let entries = try client.call("journal.list", ["entityId": .string(clientId)])["entries"]?.arrayValue
            #expect(entries?.map { $0["method"] } == ["client.create"], "one journal entry for \(clientId)")
        }
        let outbox = try SeveralHosts.outbox(client)
        #expect(outbox.filter { $0["topic"] == "OIDC_CLIENT_CREATED" }.count == 20, "an eSignet and an IDA row per key")
        #expect(try client.call("journal.verify")["ok"] == true)
    }

    static func update(_ clientId: String, name: String) -> JSONValue {
        [
            "clientId": .string(clientId), "clientName": .string(name), "logoUri": "https://rp.example.org/logo.png",
            "redirectUris": ["https://rp.example.org/*"], "grantTypes": ["authorization_code"],
            "clientAuthMethods": ["private_key_jwt"], "status": "ACTIVE",
        ]
    }
}
