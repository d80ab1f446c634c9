import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Testing

@testable import GatewayServices

/// `system.preflight` (SPEC 7.5): on a prepared host every check passes; breaking one
/// prerequisite fails exactly its check, with a fix; and the call changes nothing.
@Suite struct PreflightTests {
    static let legacy = "mosip.esignet.misp.license.key"
    static let current = "mosip.esignet.authenticator.ida.misp-license-key"

    /// A host ready for logins: eSignet's MISP partner with a license exported under both names
    /// and to the env file, and one active client whose policy is MOSIP's sample.
    final class Host: Sendable {
        let license: LicenseFixture
        let envDirectory: TemporaryDirectory
        let export: LicenseExportSettings
        let key: String

        init() async throws {
            let envDirectory = try TemporaryDirectory(prefix: "preflight-env")
            export = LicenseExportSettings(
                properties: [PreflightTests.legacy, PreflightTests.current],
                envFile: envDirectory.file("esignet.env"), autoExport: true)
            license = try LicenseFixture(export: export)
            self.envDirectory = envDirectory
            try await license.addMISP("esignet")
            key = try await license.service.generate(mispId: "esignet", context: license.context).license.licenseKey
            try await license.addPartner("rp-1", type: "Auth_Partner")
            try await license.addPolicy("auth-1", type: "Auth", policy: try Reference.json("sample-auth-policy.json"))
            try await license.map("rp-1", "auth-1")
            let registry = ClientRegistry(
                store: license.store, mappings: CurrentMappings(try Reference.mappings()), rules: Self.clientRules,
                logger: license.logs.logger)
            var params = TestEnvironment.createParams(TestKeys.p256[10])
            params["policyId"] = "auth-1"
            params["authPartnerId"] = "rp-1"
            _ = try await registry.create(params, context: license.context)
        }

        static let clientRules = ClientRules(
            minRsaBits: 2048, grantTypes: ["authorization_code"], clientAuthMethods: ["private_key_jwt"])

        func preflight(
            mappings: MappingSet? = nil, tokenCheck: (@Sendable () async -> String?)? = { nil }
        ) throws -> Preflight {
            Preflight(
                store: license.store, mappings: CurrentMappings(try mappings ?? Reference.mappings()),
                clientRules: Self.clientRules, licenseRules: license.rules, propertiesFile: license.propertiesPath,
                export: export,
                expiryWarningDays: 14, tokenCheck: tokenCheck)
        }

        /// The names of the checks that fail.
        func failing(_ preflight: Preflight) async throws -> [String] {
            let report = try await preflight.run()
            for check in report.checks where !check.ok {
                #expect(!check.fix.isEmpty, "\(check.name) fails without a fix")
            }
            #expect(!"\(report.json)".contains(key), "preflight never shows the key")
            return report.checks.filter { !$0.ok }.map(\.name)
        }
    }

    @Test func aPreparedHostPassesEveryCheckAndPreflightChangesNothing() async throws {
        let host = try await Host()
        let before = try Self.snapshot(host)
        let report = try await host.preflight().run()
        #expect(
            report.checks.map(\.name) == [
                "mappings", "mispLicense", "mispPolicyFlags", "licenseExported", "licenseExpiry", "clientPolicies",
                "outbox", "token",
            ])
        #expect(report.ok, "\(report.json)")
        #expect(report.json["checks"]?.arrayValue?.allSatisfy { $0["fix"] == .null } == true)
        #expect(try Self.snapshot(host) == before)
    }

    static func snapshot(_ host: Host) throws -> [String] {
        let tables = try host.license.store.read { connection in
            try ["journal", "outbox", "licenses", "clients", "policies", "partners"].map { table in
                try connection.query("SELECT * FROM \(table) ORDER BY 1").map { "\($0)" }.joined(separator: "\n")
            }
        }
        let files = [host.license.propertiesPath, host.envDirectory.file("esignet.env")].map {
            String(decoding: (try? FileContents.read($0)) ?? [], as: UTF8.self)
        }
        return tables + files
    }

    @Test func eachBrokenPrerequisiteFailsExactlyItsCheck() async throws {
        // Mappings with nothing in them (a reload can never leave these; a start-up could).
        var host = try await Host()
        let empty = MappingSet(identity: [:], amr: [:], acrAmr: [], claimsSupported: [])
        #expect(try await host.failing(try host.preflight(mappings: empty)) == ["mappings"])

        // The key de-activated.
        try await host.license.sql("UPDATE licenses SET status = 'de-active'")
        #expect(try await host.failing(try host.preflight()) == ["mispLicense"])

        // A required flag false in eSignet's MISP policy.
        host = try await Host()
        guard case .object(var misp) = try LicenseFixture.sampleMISPPolicy() else { return }
        misp["allowKeyBindingDelegation"] = false
        try await host.license.sql(
            "UPDATE policies SET policy = ? WHERE policy_type = 'MISP'", [.text(JSONValue.object(misp).canonicalText())]
        )
        #expect(try await host.failing(try host.preflight()) == ["mispPolicyFlags"])

        // A stale key in the env file.
        host = try await Host()
        try "MOSIP_ESIGNET_MISP_KEY=stale\n".write(
            toFile: host.envDirectory.file("esignet.env"), atomically: false, encoding: .utf8)
        #expect(try await host.failing(try host.preflight()) == ["licenseExported"])

        // The key expires in three days.
        host = try await Host()
        try await host.license.sql(
            "UPDATE licenses SET expires_at_ms = ?",
            [.integer(UTCTimestamp.nowMilliseconds() + 3 * LicenseExpiryWatch.millisecondsPerDay)])
        #expect(try await host.failing(try host.preflight()) == ["licenseExpiry"])

        // The client's policy lacks kycexchange.
        host = try await Host()
        let lacking = try AuthTypePrerequisiteTests.policy(without: "kycexchange").canonicalText()
        try await host.license.sql("UPDATE policies SET policy = ? WHERE policy_id = 'auth-1'", [.text(lacking)])
        #expect(try await host.failing(try host.preflight()) == ["clientPolicies"])

        // eSignet rejected a call.
        host = try await Host()
        try await host.license.sql("UPDATE outbox SET status = 'rejected' WHERE seq = 1")
        #expect(try await host.failing(try host.preflight()) == ["outbox"])

        // No token to be had.
        host = try await Host()
        let noToken = try host.preflight(tokenCheck: { "token fetch failed: auth manager errors KER-ATH-401" })
        #expect(try await host.failing(noToken) == ["token"])
        #expect(try await noToken.run().checks.last?.detail == "token fetch failed: auth manager errors KER-ATH-401")
    }
}
