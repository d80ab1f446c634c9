import GatewayJSON
import GatewayStore
import Testing

@testable import GatewayServices

@Suite struct GetTests {
    @Test func getReturnsPublicMembersOnly() async throws {
        try await TestEnvironment.with { env throws in
            // Unknown extra members are dropped too: the stored key is rebuilt from the parsed key.
            let key = TestKeys.rsa2048[2].with("kid", "rp-key-1").with("use", "sig").with("x5t", "abc").with(
                "ext", true)
            let clientId = try await env.create(TestEnvironment.createParams(key))
            let client = try env.registry.get(["clientId": .string(clientId)])
            let publicKey = try #require(client["publicKey"]?.objectValue)
            #expect(Set(publicKey.keys) == ["kty", "n", "e", "kid", "use"])
            #expect(publicKey["n"] == key["n"])
            let fields = try #require(client.objectValue?.keys)
            #expect(
                fields == [
                    "clientId", "name", "policyId", "policyName", "authPartnerId", "logoUri", "redirectUris",
                    "publicKey",
                    "claims", "acrValues", "status", "grantTypes", "clientAuthMethods", "createdAt", "updatedAt",
                    "esignet",
                ])
            // SPEC 7.3: the latest eSignet call's state; nothing delivers in these tests, so pending.
            #expect(client["esignet"]?["state"] == "pending" && client["esignet"]?["attempts"] == 0)
            let stored = try env.store.read { try $0.query("SELECT public_key FROM clients")[0].string(0) }
            #expect(!stored.contains("x5t") && !stored.contains("\"d\""))
        }
    }

    @Test func getErrors() async throws {
        try await TestEnvironment.with { env throws in
            let missing = caughtError { _ = try env.registry.get(["clientId": "nope"]) }
            #expect(missing?.errorCode == "PMS_ESI_004")
            #expect(missing?.kind == .notFound)
            let blank = caughtError { _ = try env.registry.get([:]) }
            #expect(blank?.message == "Invalid request parameter - must not be blank :request.clientId")
        }
    }
}

@Suite struct ListTests {
    /// Inserts `count` client rows straight into the table (list never parses keys).
    static func insertClients(_ env: TestEnvironment, from start: Int, count: Int, partner: String = "auth-1")
        async throws
    {
        try await env.store.write { tx in
            for index in start..<(start + count) {
                let status = index % 7 == 0 ? "INACTIVE" : "ACTIVE"
                try tx.execute(
                    """
                    INSERT INTO clients (client_id, name, policy_id, auth_partner_id, logo_uri, redirect_uris, public_key,
                        claims, acr_values, status, grant_types, client_auth_methods, created_at, updated_at)
                    VALUES (?, ?, 'pol-auth', ?, 'https://x.example/l.png', '[]', '{}', '[]', '[]', ?, '[]', '[]', 't', 't')
                    """,
                    [
                        .text(String(format: "client-%06d", index)), .text("Client \(index)"), .text(partner),
                        .text(status),
                    ])
            }
        }
    }

    @Test func pagesOldestFirstWithAStableCursorWhileInsertsContinue() async throws {
        try await TestEnvironment.with { env throws in
            try await Self.insertClients(env, from: 0, count: 3_000)
            var inserted = 3_000
            var seen: [String] = []
            var cursor: JSONValue = .null
            var pages = 0
            repeat {
                let page = try env.registry.list(["limit": 173, "cursor": cursor])
                let ids = try #require(page["clients"]?.arrayValue).compactMap { $0["clientId"]?.stringValue }
                #expect(ids.count <= 173)
                seen += ids
                cursor = try #require(page["nextCursor"])
                pages += 1
                // New clients keep arriving between pages (the first ten), each committed before the next read.
                if pages <= 10 {
                    try await Self.insertClients(env, from: inserted, count: 25)
                    inserted += 25
                }
            } while cursor != .null && pages < 1_000
            #expect(seen.count == Set(seen).count, "a client was listed twice")
            #expect(seen == (0..<inserted).map { String(format: "client-%06d", $0) }, "skipped or out of order")
            #expect(pages == (inserted + 172) / 173)
        }
    }

    @Test func filtersDefaultLimitAndEnd() async throws {
        try await TestEnvironment.with { env throws in
            try await Self.insertClients(env, from: 0, count: 120)
            try await Self.insertClients(env, from: 120, count: 10, partner: "auth-lower")
            let first = try env.registry.list([:])
            #expect(first["clients"]?.arrayValue?.count == 50)
            #expect(first["nextCursor"]?.stringValue != nil)

            let mine = try env.registry.list(["authPartnerId": "auth-lower", "limit": 500])
            #expect(mine["clients"]?.arrayValue?.count == 10)
            #expect(mine["nextCursor"] == .null)
            let entry = try #require(mine["clients"]?.arrayValue?.first?.objectValue)
            #expect(
                entry.keys == ["clientId", "name", "authPartnerId", "policyId", "status", "createdAt", "updatedAt"])

            let inactive = try env.registry.list(["status": "inactive", "limit": 500])
            let statuses = inactive["clients"]?.arrayValue?.compactMap { $0["status"]?.stringValue } ?? []
            #expect(statuses.count == (0..<130).filter { $0 % 7 == 0 }.count)
            #expect(Set(statuses) == ["INACTIVE"])

            let exact = try env.registry.list(["limit": 130])
            #expect(exact["nextCursor"] == .null)
        }
    }

    @Test(arguments: [
        (JSONObject([("limit", 0)]), "Invalid request parameter - must be between 1 and 500 :request.limit"),
        (JSONObject([("limit", 501)]), "Invalid request parameter - must be between 1 and 500 :request.limit"),
        (
            JSONObject([("cursor", "abc")]),
            "Invalid request parameter - must be a cursor returned by client.list :request.cursor"
        ),
        (
            JSONObject([("status", "GONE")]),
            "Invalid request parameter - must be one of ACTIVE, INACTIVE :request.status"
        ),
    ])
    func listErrors(params: JSONObject, message: String) async throws {
        try await TestEnvironment.with { env throws in
            let error = caughtError { _ = try env.registry.list(params) }
            #expect(error?.errorCode == "PMS_COR_001")
            #expect(error?.message == message)
        }
    }
}

/// Migration 4: `client.get` is served from each client's stored view, and the migration builds
/// the same view from the columns for clients written before it.
@Suite struct ClientViewMigrationTests {
    @Test func viewsBuiltBySQLMatchTheOnesWrittenBySwift() async throws {
        try await TestEnvironment.with { env throws in
            let plain = try await env.create(TestEnvironment.createParams(TestKeys.p256[0]))
            var named = TestEnvironment.createParams(TestKeys.p256[1], name: "Named portal")
            named["clientNameLangMap"] = ["eng": "Named portal", "fra": "Portail nommé"]
            let withNames = try await env.create(named)
            let before = try [plain, withNames].map { try env.registry.get(["clientId": .string($0)]) }
            #expect(before[1]["clientNameLangMap"]?["fra"] == "Portail nommé")
            try await env.sql("UPDATE clients SET view = NULL")
            try await env.sql(DomainMigrations.fillClientViews)
            let after = try [plain, withNames].map { try env.registry.get(["clientId": .string($0)]) }
            #expect(after == before)
            #expect(after.map { $0.serialized() } == before.map { $0.serialized() }, "same members in the same order")
        }
    }
}
