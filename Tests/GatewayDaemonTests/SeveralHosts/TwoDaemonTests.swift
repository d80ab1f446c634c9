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
    @Test func whatOneAcknowledgesTheOtherReadsAtOnce() async throws {
        try await onOwnThread {
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
                #expect(
                    try writer.call("client.get", ["clientId": .string(clientId)])["name"]
                        == .string("renamed \(round)"))
            }

            // A refusal that depends on the other daemon's last write.
            _ = try clientB.call("partner.put", Fixtures.partner("rp-1", status: "INACTIVE"))
            #expect(
                try clientA.errorCode("client.create", ClientFlowTests.create(key: FakeKeys.rsa(100))) == "PMS_PMP_016")
            _ = try clientA.call("partner.put", Fixtures.partner("rp-1"))
            #expect(
                try clientB.call("client.create", ClientFlowTests.create(key: FakeKeys.rsa(100)))["status"] == "ACTIVE")

            try LicenseFlowTests.seed(clientB)
            let key = try #require(
                try clientA.call("license.generate", ["mispId": "esignet"])["licenseKey"]?.stringValue)
            // IDA's check is a batched lookup on PostgreSQL: the license and its policy's flags in
            // one statement, unknown keys an answer.
            let valid = try clientB.call("license.validate", ["licenseKey": .string(key)])
            #expect(valid["valid"] == true && valid["mispId"] == "esignet")
            #expect(valid["policy"]?["allowKycRequestDelegation"] == true)
            #expect(try clientB.call("license.validate", ["licenseKey": "nope"])["errorCode"] == "IDA-MPA-007")
            #expect(try clientB.errorCode("license.generate", ["mispId": "esignet"]) == "PMS_MSP_416")
            _ = try clientB.call(
                "license.update",
                ["providerId": "esignet", "licenseKey": .string(key), "licenseKeyStatus": "De-active"])
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
    }

    /// 16 `client.create` of one key at once, 8 through each daemon, for 10 keys in a row: each
    /// time exactly one wins and the other 15 get `PMS_ESI_001` (-32002), and the loser leaves
    /// nothing behind (one journal entry and one eSignet and one IDA row per key). The 16 requests
    /// are written to 16 open connections back to back before any reply is read, so they meet in
    /// the daemons and in the database at once (threads would only get two cores here).
    @Test func sixteenConcurrentCreatesOfOneKeyOneWins() async throws {
        try await onOwnThread {
            let database = try TemporaryPostgresDatabase.createNow()
            defer { try? database.dropNow() }
            let (a, b) = try SeveralHosts.pair(on: database)
            try ClientFlowTests.seed(try a.client())
            let connections = try SeveralHosts.connections(16, spreadOver: a, b)
            var winners: [String] = []
            for round in 0..<10 {
                let replies = try Self.all(
                    connections, "client.create", ClientFlowTests.create(key: FakeKeys.rsa(1000 + round)))
                let won = replies.compactMap { $0["result"] }
                #expect(won.count == 1, "round \(round): \(won.count) creates succeeded")
                #expect(
                    Self.errorCodes(replies) == ["-32002 PMS_ESI_001": 15],
                    "round \(round): every loser is told the key exists")
                if let clientId = won.first?["clientId"]?.stringValue { winners.append(clientId) }
            }

            let client = try b.client()
            #expect(try client.call("system.health")["clients"] == 10)
            #expect(try client.call("client.list", ["limit": 500])["clients"]?.arrayValue?.count == 10)
            for clientId in winners {
                let entries = try client.call("journal.list", ["entityId": .string(clientId)])["entries"]?.arrayValue
                #expect(entries?.map { $0["method"] } == ["client.create"], "one journal entry for \(clientId)")
            }
            let outbox = try SeveralHosts.outbox(client)
            #expect(
                outbox.filter { $0["topic"] == "OIDC_CLIENT_CREATED" }.count == 20, "an eSignet and an IDA row per key")
            #expect(try client.call("journal.verify")["ok"] == true)
        }
    }

    /// The same for `license.generate`: 16 at once for one MISP partner, 8 through each daemon,
    /// for 5 partners; one license each, the rest `PMS_MSP_416` (-32002).
    @Test func sixteenConcurrentLicenseGeneratesOneWins() async throws {
        try await onOwnThread {
            let database = try TemporaryPostgresDatabase.createNow()
            defer { try? database.dropNow() }
            let (a, b) = try SeveralHosts.pair(on: database)
            let seeding = try a.client()
            _ = try seeding.call("policy.put", Fixtures.policy("misp-1", type: "MISP"))
            let connections = try SeveralHosts.connections(16, spreadOver: a, b)
            for round in 0..<5 {
                let mispId = "misp-partner-\(round)"
                _ = try seeding.call("partner.put", Fixtures.partner(mispId, type: "MISP_Partner"))
                _ = try seeding.call(
                    "partner.mapPolicy", ["partnerId": .string(mispId), "policyId": "misp-1", "status": "approved"])
                let replies = try Self.all(connections, "license.generate", ["mispId": .string(mispId)])
                #expect(replies.compactMap { $0["result"] }.count == 1, "round \(round): one license")
                #expect(Self.errorCodes(replies) == ["-32002 PMS_MSP_416": 15], "round \(round)")
            }
            let client = try b.client()
            #expect(try client.call("license.list")["licenses"]?.arrayValue?.count == 5)
            #expect(try client.call("journal.verify")["ok"] == true)
        }
    }

    /// Deactivation is final (SPEC 4.3) across daemons too: a deactivation through one daemon
    /// meets 15 renames of the same client through both at once, for 10 clients. Whatever order
    /// they commit in, the client ends INACTIVE, and no update is journalled after the
    /// deactivation. A rename that read the client as ACTIVE before the deactivation committed,
    /// and wrote its whole row after, would bring the client back.
    @Test func deactivationThroughOneDaemonIsFinalForBoth() async throws {
        try await onOwnThread {
            let database = try TemporaryPostgresDatabase.createNow()
            defer { try? database.dropNow() }
            let (a, b) = try SeveralHosts.pair(on: database)
            let client = try a.client()
            try ClientFlowTests.seed(client)
            let connections = try SeveralHosts.connections(16, spreadOver: a, b)
            for round in 0..<10 {
                let clientId = try #require(
                    try client.call("client.create", ClientFlowTests.create(key: FakeKeys.rsa(2000 + round)))[
                        "clientId"]?
                        .stringValue)
                var deactivation = Self.update(clientId, name: "deactivated")
                if case .object(var object) = deactivation {
                    object["status"] = "INACTIVE"
                    deactivation = .object(object)
                }
                // The deactivation goes out in the middle of the renames, through host-b.
                for (index, connection) in connections.enumerated() {
                    let params = index == 7 ? deactivation : Self.update(clientId, name: "rename \(index)")
                    let request = JSONValue.object([
                        "jsonrpc": "2.0", "id": JSONValue(index), "method": "client.update", "params": params,
                    ])
                    try connection.send(request.serialized() + "\n")
                }
                let replies = try connections.map { try $0.readJSON() }
                #expect(replies[7]["result"]?["status"] == "INACTIVE", "round \(round): \(replies[7].serialized())")
                #expect(
                    Set(Self.errorCodes(replies).keys).isSubset(of: ["-32002 PMS_ESI_008"]),
                    "round \(round): a rename after the deactivation is refused as PMS_ESI_008")
                #expect(
                    try client.call("client.get", ["clientId": .string(clientId)])["status"] == "INACTIVE",
                    "round \(round): the client stays deactivated")
                let entries =
                    try client.call("journal.list", ["entityId": .string(clientId)])["entries"]?.arrayValue ?? []
                let statuses = entries.map { $0["change"]?["status"]?.stringValue ?? "?" }
                #expect(
                    statuses.last == "INACTIVE",
                    "round \(round): nothing journalled after the deactivation: \(statuses)")
            }
            #expect(try client.call("journal.verify")["ok"] == true)
        }
    }

    /// An expired license is replaced by one fresh key (SPEC 4.5 `license.get`), however many
    /// daemons are asked at once: 16 `license.get` through both daemons all answer the same new
    /// key, it validates, and one renewal is journalled and sent to IDA. Two daemons that each
    /// renewed it would hand out keys of which only the last is valid.
    @Test func anExpiredLicenseIsRenewedOnceAcrossDaemons() async throws {
        try await onOwnThread {
            let database = try TemporaryPostgresDatabase.createNow()
            defer { try? database.dropNow() }
            let (a, b) = try SeveralHosts.pair(on: database)
            let client = try a.client()
            try LicenseFlowTests.seed(client)
            let connections = try SeveralHosts.connections(16, spreadOver: a, b)
            let probe = try PostgresProbe(database)
            var keys: [String] = [
                try #require(try client.call("license.generate", ["mispId": "esignet"])["licenseKey"]?.stringValue)
            ]
            for round in 0..<5 {
                // Expired behind the daemons' backs, as time would have it.
                _ = try probe.rows(
                    "UPDATE licenses SET expires_at_ms = 1000, expires_at = '1970-01-01T00:00:01.000Z' RETURNING misp_id"
                )
                let replies = try Self.all(connections, "license.get", ["mispId": "esignet"])
                let handedOut = Set(replies.compactMap { $0["result"]?["licenseKey"]?.stringValue })
                #expect(replies.allSatisfy { $0["result"] != nil }, "round \(round): \(Self.errorCodes(replies))")
                #expect(handedOut.count == 1, "round \(round): \(handedOut.count) different keys handed out")
                let key = try #require(handedOut.first)
                #expect(!keys.contains(key), "round \(round): a fresh key")
                keys.append(key)
                for daemonClient in [connections[0], connections[1]] {
                    #expect(try daemonClient.call("license.validate", ["licenseKey": .string(key)])["valid"] == true)
                }
            }
            let outbox = try SeveralHosts.outbox(client)
            #expect(outbox.filter { $0["topic"] == "MISP_LICENSE_UPDATED" }.count == 5, "one IDA event per renewal")
            let entries =
                try client.call("journal.list", ["entityId": "esignet", "limit": 1000])["entries"]?.arrayValue ?? []
            #expect(entries.filter { $0["method"] == "license.get" }.count == 5, "five renewals journalled")
            #expect(try client.call("journal.verify")["ok"] == true)
        }
    }

    /// Writes one request to every connection back to back, then reads every reply.
    static func all(_ connections: [RPCClient], _ method: String, _ params: JSONValue) throws -> [JSONValue] {
        let request =
            JSONValue.object(["jsonrpc": "2.0", "id": 1, "method": .string(method), "params": params]).serialized()
            + "\n"
        for connection in connections { try connection.send(request) }
        return try connections.map { try $0.readJSON() }
    }

    /// How many replies had each error, as `"code errorCode"`.
    static func errorCodes(_ replies: [JSONValue]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for error in replies.compactMap({ $0["error"] }) {
            counts["\(error["code"]?.intValue ?? 0) \(error["data"]?["errorCode"]?.stringValue ?? "?")", default: 0] +=
                1
        }
        return counts
    }

    static func update(_ clientId: String, name: String) -> JSONValue {
        [
            "clientId": .string(clientId), "clientName": .string(name), "logoUri": "https://rp.example.org/logo.png",
            "redirectUris": ["https://rp.example.org/*"], "grantTypes": ["authorization_code"],
            "clientAuthMethods": ["private_key_jwt"], "status": "ACTIVE",
        ]
    }
}
