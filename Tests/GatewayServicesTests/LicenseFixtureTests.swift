import CSQLite
import GatewayJSON
import GatewayStore
import Logging
import Synchronization
import SystemPackage
import Testing

@testable import GatewayServices

#if canImport(Glibc)
    import Glibc
#endif

/// A temporary directory with a real SQLite store and a `LicenseService` over it, plus SQL helpers
/// that put partners, policies and mappings in place the way PMS's pushes would.
final class LicenseFixture: Sendable {
    let directory: String
    let store: Store
    let service: LicenseService
    let rules: LicenseRules
    let logs: LicenseLogCapture
    let context = CallContext(peer: Peer(uid: 1000, gid: 1001, pid: 4242), requestId: "7")

    var propertiesPath: String { "\(directory)/esignet/esignet-default.properties" }

    init(rules: LicenseRules = LicenseRules(length: 50, validityDays: 90)) throws {
        var template = Array("/tmp/license-tests-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw LicenseTestFailure("mkdtemp failed") }
        directory = String(cString: made)
        mkdir("\(directory)/esignet", 0o755)
        logs = LicenseLogCapture()
        let capture = logs
        var logger = Logger(label: "license-test") { _ in capture.handler() }
        logger.logLevel = .trace
        store = try Store.open(path: "\(directory)/gateway.sqlite3", migrations: DomainMigrations.all, logger: logger)
        self.rules = rules
        service = LicenseService(
            store: store, rules: rules, propertiesFile: "\(directory)/esignet/esignet-default.properties",
            exportDirectory: ConfinedDirectory(
                directory: "\(directory)/esignet",
                protecting: ConfinedDirectory.daemonFiles(
                    database: "\(directory)/gateway.sqlite3", socket: "\(directory)/gw.sock",
                    config: "\(directory)/pms-gateway.json"),
                allowsSubdirectories: true),
            logger: logger)
    }

    deinit {
        store.close()
        _ = system("rm -rf '\(directory)'")
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
        var handle: OpaquePointer?
        guard sqlite3_open_v2("\(directory)/gateway.sqlite3", &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
            throw LicenseTestFailure("cannot open database")
        }
        defer { sqlite3_close_v2(handle) }
        sqlite3_busy_timeout(handle, 5000)
        guard sqlite3_exec(handle, text, nil, nil, nil) == SQLITE_OK else {
            throw LicenseTestFailure("raw SQL failed: \(String(cString: sqlite3_errmsg(handle)))")
        }
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
        let packageRoot = FilePath(#filePath).removingLastComponent().removingLastComponent().removingLastComponent()
            .string
        for path in ["\(packageRoot)/config/sample-misp-policy.json", "/work/shared/reference/sample-misp-policy.json"]
        {
            if let bytes = try? FileContents.read(path) { return try JSONValue.parse(bytes) }
        }
        throw LicenseTestFailure("sample-misp-policy.json not found in config/ or /work/shared/reference/")
    }
}

struct LicenseTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Every log line and its metadata, so tests can prove a key never reaches the log.
final class LicenseLogCapture: Sendable {
    let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func handler() -> some LogHandler { Handler(capture: self) }

    struct Handler: LogHandler {
        let capture: LicenseLogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
        }
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
