import GatewayJSON
import GatewayServices
import GatewayStore
import GatewayTestSupport
import Logging
import Testing

/// MOSIP's reference files, found through ``TestPaths/reference(_:)``.
enum Reference {
    static func json(_ name: String) throws -> JSONValue {
        try JSONValue.parse(try FileContents.read(TestPaths.reference(name)))
    }

    static func mappings() throws -> MappingSet {
        try MappingSet.load(
            MappingFiles(
                identity: TestPaths.reference("identity-mapping.json"),
                amrAcr: TestPaths.reference("amr-acr-mapping.json"),
                openidConfiguration: TestPaths.reference("openid-configuration.json")))
    }
}

/// A fresh SQLite file in its own temp directory, with seeded partners, policies and mappings.
final class TestEnvironment: Sendable {
    let directory: TemporaryDirectory
    let store: Store
    let registry: ClientRegistry
    let rules: ClientRules
    let context = CallContext(peer: Peer(uid: 1000, gid: 1000, pid: 4242), requestId: "7")

    /// - Parameter clientAPI: `esignet.clientAPI`, which decides whether `additionalConfig` is accepted.
    /// - Parameter refusesMissingAuthTypes: `clients.prerequisites` `"refuse"` (SPEC 7.5).
    init(clientAPI: String = "oidc-client", refusesMissingAuthTypes: Bool = false) throws {
        rules = ClientRules(
            minRsaBits: 2048, grantTypes: ["authorization_code"], clientAuthMethods: ["private_key_jwt"],
            clientAPI: clientAPI, refusesMissingAuthTypes: refusesMissingAuthTypes)
        directory = try TemporaryDirectory(prefix: "clients")
        store = try Store.open(
            path: directory.file("gateway.sqlite3"), migrations: DomainMigrations.all, logger: quietLogger)
        registry = ClientRegistry(
            store: store, mappings: CurrentMappings(try Reference.mappings()), rules: rules, logger: quietLogger)
    }

    deinit {
        store.close()
    }

    /// Opens an environment, seeds it, runs `body`.
    static func with(
        clientAPI: String = "oidc-client", refusesMissingAuthTypes: Bool = false,
        _ body: (TestEnvironment) async throws -> Void
    ) async throws {
        let environment = try TestEnvironment(clientAPI: clientAPI, refusesMissingAuthTypes: refusesMissingAuthTypes)
        try await environment.seed()
        try await body(environment)
    }

    // MARK: seeding with plain SQL, as PMS's pushes would leave the tables

    func seed() async throws {
        let sample = try Reference.json("sample-auth-policy.json").canonicalText()
        let mandatory =
            #"{"allowedKycAttributes":[{"attributeName":"fullName"}],"allowedAuthTypes":[{"authType":"otp","authSubType":"","mandatory":true}]}"#
        let noClaims =
            #"{"allowedKycAttributes":[{"attributeName":"UIN"}],"allowedAuthTypes":[{"authType":"otp","authSubType":"","mandatory":false}]}"#
        let noACRs =
            #"{"allowedKycAttributes":[{"attributeName":"fullName"}],"allowedAuthTypes":[{"authType":"kycauth","authSubType":"","mandatory":false}]}"#
        try await sql(
            """
            INSERT INTO partners VALUES ('auth-1', 'Auth_Partner', 'Relying Party One', 'ACTIVE', 'CERT-1', 't', 't');
            INSERT INTO partners VALUES ('auth-lower', 'auth_partner', 'Lower Case Type', 'ACTIVE', NULL, 't', 't');
            INSERT INTO partners VALUES ('auth-off', 'Auth_Partner', 'Suspended', 'INACTIVE', NULL, 't', 't');
            INSERT INTO partners VALUES ('misp-1', 'MISP_Partner', 'A MISP', 'ACTIVE', NULL, 't', 't');
            INSERT INTO policies VALUES ('pol-auth', 'Auth', 'Sample auth policy', 'desc', 'ACTIVE',
                '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', '\(sample)', 't', 't');
            INSERT INTO policies VALUES ('pol-misp', 'MISP', 'MISP policy', NULL, 'ACTIVE', NULL, NULL,
                '{"allowAuthRequestDelegation":true}', 't', 't');
            INSERT INTO policies VALUES ('pol-mandatory', 'Auth', 'Mandatory', NULL, 'ACTIVE', NULL, NULL, '\(mandatory)', 't', 't');
            INSERT INTO policies VALUES ('pol-noclaims', 'Auth', 'No claims', NULL, 'ACTIVE', NULL, NULL, '\(noClaims)', 't', 't');
            INSERT INTO policies VALUES ('pol-noacr', 'Auth', 'No ACRs', NULL, 'ACTIVE', NULL, NULL, '\(noACRs)', 't', 't');
            INSERT INTO policies VALUES ('pol-unmapped', 'Auth', 'Unmapped', NULL, 'ACTIVE', NULL, NULL, '\(sample)', 't', 't');
            INSERT INTO policies VALUES ('pol-pending', 'Auth', 'Pending', NULL, 'ACTIVE', NULL, NULL, '\(sample)', 't', 't');
            INSERT INTO partner_policies (partner_id, policy_id, status, created_at, updated_at) VALUES
                ('auth-1', 'pol-auth', 'approved', 't', 't'),
                ('auth-1', 'pol-mandatory', 'Approved', 't', 't'),
                ('auth-1', 'pol-noclaims', 'approved', 't', 't'),
                ('auth-1', 'pol-noacr', 'approved', 't', 't'),
                ('auth-1', 'pol-pending', 'InProgress', 't', 't'),
                ('auth-lower', 'pol-auth', 'APPROVED', 't', 't'),
                ('auth-off', 'pol-auth', 'approved', 't', 't');
            """)
    }

    /// Runs `;`-separated statements in one write transaction.
    func sql(_ script: String) async throws {
        let statements = script.split(separator: ";\n").map { String($0) }.filter {
            !$0.allSatisfy(\.isWhitespace)
        }
        try await store.write { tx in
            for statement in statements { try tx.execute(statement) }
        }
    }

    /// Sets one partner's status, as a later `partner.put` would.
    func setPartnerStatus(_ partnerId: String, _ status: String) async throws {
        try await store.write { tx in
            try tx.execute("UPDATE partners SET status = ? WHERE partner_id = ?", [.text(status), .text(partnerId)])
        }
    }

    func count(_ sql: String) throws -> Int {
        try store.read { connection in try connection.query(sql)[0].int(0) }
    }

    func outboxBodies(orderingKey: String) throws -> [(target: String, topic: String, body: JSONValue)] {
        try store.read { connection in
            try connection.query(
                "SELECT target, topic, body FROM outbox WHERE ordering_key = ? ORDER BY seq", [.text(orderingKey)]
            ).map { row in
                (
                    try row.string("target"), try row.string("topic"),
                    try JSONValue.parse(Array(try row.string("body").utf8))
                )
            }
        }
    }

    func journal(entityId: String) throws -> [(
        method: String, entityType: String, change: JSONValue, requestId: String?
    )] {
        try store.read { connection in
            try connection.query(
                "SELECT method, entity_type, change, request_id FROM journal WHERE entity_id = ? ORDER BY seq",
                [.text(entityId)]
            ).map { row in
                (
                    try row.string("method"), try row.string("entity_type"),
                    try JSONValue.parse(Array(try row.string("change").utf8)), try row.optionalString("request_id")
                )
            }
        }
    }

    // MARK: requests

    /// A create request that passes every check, for `auth-1` under `pol-auth`.
    static func createParams(_ key: JSONObject, name: String = "Resident portal") -> JSONObject {
        JSONObject([
            ("name", .string(name)), ("policyId", "pol-auth"), ("publicKey", .object(key)),
            ("authPartnerId", "auth-1"), ("logoUri", "https://rp.example.org/logo.png"),
            ("redirectUris", ["https://rp.example.org/callback", "io.mosip.residentapp://oauth"]),
            ("grantTypes", ["authorization_code"]), ("clientAuthMethods", ["private_key_jwt"]),
        ])
    }

    static func updateParams(_ clientId: String, status: String = "ACTIVE", name: String = "Renamed portal")
        -> JSONObject
    {
        JSONObject([
            ("clientId", .string(clientId)), ("clientName", .string(name)),
            ("logoUri", "https://rp.example.org/logo-2.png"), ("redirectUris", ["https://rp.example.org/cb2"]),
            ("grantTypes", ["authorization_code"]), ("clientAuthMethods", ["private_key_jwt"]),
            ("status", .string(status)),
        ])
    }

    @discardableResult
    func create(_ params: JSONObject) async throws -> String {
        let result = try await registry.create(params, context: context)
        return try #require(result["clientId"]?.stringValue)
    }
}

/// Runs `body` and returns the GatewayError it threw (nil when it succeeded or threw something else).
func gatewayError(_ body: () async throws -> Void) async -> GatewayError? {
    do { try await body() } catch { return asGatewayError(error) }
    return nil
}

/// The synchronous twin of `gatewayError`, for read methods.
func caughtError(_ body: () throws -> Void) -> GatewayError? {
    do { try body() } catch { return asGatewayError(error) }
    return nil
}

/// `error` as a GatewayError; anything else is recorded as an issue.
private func asGatewayError(_ error: any Error) -> GatewayError? {
    guard let error = error as? GatewayError else {
        Issue.record("unexpected error \(error)")
        return nil
    }
    return error
}

extension JSONObject {
    /// A copy with `key` set (or removed for nil).
    func with(_ key: String, _ value: JSONValue?) -> JSONObject {
        var copy = self
        copy[key] = value
        return copy
    }
}
