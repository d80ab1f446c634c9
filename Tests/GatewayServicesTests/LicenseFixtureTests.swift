import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Logging
import Testing

@testable import GatewayServices

/// A temporary directory with a real SQLite store and a `LicenseService` over it, plus SQL helpers
/// that put partners, policies and mappings in place the way PMS's pushes would.
final class LicenseFixture: Sendable {
    let scratch: TemporaryDirectory
    let store: Store
    let service: LicenseService
    let rules: LicenseRules
    let logs = LogCapture()
    let context = CallContext(peer: Peer(uid: 1000, gid: 1001, pid: 4242), requestId: "7")

    var directory: String { scratch.path }
    var propertiesPath: String { "\(directory)/esignet/esignet-default.properties" }

    /// - Parameter export: where keys go (SPEC 7.6); the default exports only on request.
    init(
        rules: LicenseRules = LicenseRules(length: 50, validityDays: 90),
        export: LicenseExportSettings = LicenseExportSettings()
    ) throws {
        scratch = try TemporaryDirectory(prefix: "license-tests")
        let directory = scratch.path
        try scratch.subdirectory("esignet")
        store = try Store.open(
            path: "\(directory)/gateway.sqlite3", migrations: DomainMigrations.all, logger: logs.logger)
        self.rules = rules
        service = LicenseService(
            store: store, rules: rules, propertiesFile: "\(directory)/esignet/esignet-default.properties",
            exportDirectory: ConfinedDirectory(
                directory: "\(directory)/esignet",
                protecting: ConfinedDirectory.daemonFiles(
                    database: "\(directory)/gateway.sqlite3", socket: "\(directory)/gw.sock",
                    config: "\(directory)/pms-gateway.json"),
                allowsSubdirectories: true),
            logger: logs.logger, export: export)
    }

    deinit {
        store.close()
    }

    // MARK: PMS records

    func sql(_ text: String, _ bindings: [SQLValue] = []) async throws {
        try await store.write { tx throws in _ = try tx.execute(text, bindings) }
    }

    func addPartner(_ id: String, type: String = "MISP_Partner", status: String = "ACTIVE") async throws {
        try await sql(
            """
            INSERT INTO partners (partner_id, partner_type, name, status, certificate_data, created_at, updated_at)
            VALUES (?, ?, ?, ?, NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
            """, [.text(id), .text(type), .text("Partner \(id)"), .text(status)])
    }

    func addPolicy(_ id: String, type: String = "MISP", policy: JSONValue? = nil) async throws {
        let document = try policy ?? Self.sampleMISPPolicy()
        try await sql(
            """
            INSERT INTO policies (policy_id, policy_type, name, description, status, valid_from, valid_to, policy,
                created_at, updated_at)
            VALUES (?, ?, ?, 'test policy', 'ACTIVE', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', ?,
                '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
            """, [.text(id), .text(type), .text("Policy \(id)"), .text(document.canonicalText())])
    }

    func map(_ partnerId: String, _ policyId: String, status: String = "approved") async throws {
        try await sql(
            """
            INSERT INTO partner_policies (partner_id, policy_id, status, created_at, updated_at)
            VALUES (?, ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
            """, [.text(partnerId), .text(policyId), .text(status)])
    }

    /// A fixture with an active MISP partner `id` already in place (see ``addMISP(_:policyId:)``).
    static func withMISP(_ id: String, rules: LicenseRules = LicenseRules(length: 50, validityDays: 90)) async throws
        -> LicenseFixture
    {
        let fixture = try LicenseFixture(rules: rules)
        try await fixture.addMISP(id)
        return fixture
    }

    /// An active MISP partner with one approved mapping to the sample MISP policy.
    func addMISP(_ id: String, policyId: String? = nil) async throws {
        try await addPartner(id)
        let policy = policyId ?? "policy-\(id)"
        try await addPolicy(policy)
        try await map(id, policy)
    }

    /// Runs SQL on a connection of its own with foreign keys off (SQLite's default), to build
    /// states the daemon's own connections refuse, such as a mapping to a policy that is gone.
    func rawSQL(_ text: String) throws {
        try SQLiteFile("\(directory)/gateway.sqlite3", readOnly: false).execute(text)
    }

    // MARK: Reading back

    func rows(_ text: String, _ bindings: [SQLValue] = []) throws -> [Row] {
        try store.read { connection in try connection.query(text, bindings) }
    }

    func count(_ table: String) throws -> Int {
        try rows("SELECT count(*) AS n FROM \(table)")[0].int("n")
    }

    /// Every column of every journal row as text, for "the key never appears" checks.
    func journalText() throws -> String {
        try rows("SELECT * FROM journal ORDER BY seq").map { row in
            row.values.map { value in
                switch value {
                case .text(let text): text
                case .integer(let int): String(int)
                default: ""
                }
            }.joined(separator: "|")
        }.joined(separator: "\n")
    }

    func generate(_ mispId: String) async throws -> JSONObject {
        try #require(await service.generate(licenseParams(["mispId": .string(mispId)]), context: context).objectValue)
    }

    static func sampleMISPPolicy() throws -> JSONValue {
        try JSONValue.parse(try FileContents.read(TestPaths.reference("sample-misp-policy.json")))
    }
}

/// Runs `body` and checks it fails with exactly this MOSIP code and kind.
func expectLicenseError(
    _ code: String, _ kind: GatewayError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
    } catch let error as GatewayError {
        #expect(error.errorCode == code, sourceLocation: sourceLocation)
        #expect(error.kind == kind, "kind for \(code)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

/// Request params from a literal (JSONObject keeps order, so it is not a dictionary literal itself).
func licenseParams(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONObject {
    JSONObject(pairs.map { ($0.key, $0.value) })
}

/// `2026-11-24T10:00:00.000Z`: UTC, ISO-8601, milliseconds.
func isLicenseTimestamp(_ text: String) -> Bool {
    let pattern = Array("dddd-dd-ddTdd:dd:dd.dddZ")
    let characters = Array(text)
    guard characters.count == pattern.count else { return false }
    return zip(characters, pattern).allSatisfy { character, expected in
        expected == "d" ? character.isASCII && character.isNumber : character == expected
    }
}

let licenseAlphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

@Suite struct LicenseFixtureTests {
    @Test func sampleMISPPolicyLoadsAndSatisfiesTheSchema() throws {
        let policy = try LicenseFixture.sampleMISPPolicy()
        #expect(policy["allowAuthRequestDelegation"] == .bool(true))
        #expect(policy["allowKeyBindingDelegation"] != nil)
    }

    @Test func fixtureDatabaseHasTheLicensesTable() throws {
        let fixture = try LicenseFixture()
        #expect(try fixture.count("licenses") == 0)
    }
}
