import GatewayJSON
import GatewayStore

/// `system.preflight` (SPEC 7.5): one read-only call that says whether a login through eSignet
/// can work now, and for each thing that stands in the way, what to do about it.
///
/// Each check looks at one thing, so breaking one prerequisite fails exactly its check: the
/// license check looks at the key's status and expiry, the export check compares the files with
/// the partner's key whatever its status, the expiry check looks only at active keys.
package struct Preflight: Sendable {
    let store: Store
    let mappings: CurrentMappings
    let clientRules: ClientRules
    let licenseRules: LicenseRules
    let propertiesFile: String
    let export: LicenseExportSettings
    let expiryWarningDays: Int
    /// Fetches (or reuses) a token; nil when `auth.kind` is not set. Answers the error, or nil.
    let tokenCheck: (@Sendable () async -> String?)?

    package init(
        store: Store, mappings: CurrentMappings, clientRules: ClientRules, licenseRules: LicenseRules,
        propertiesFile: String, export: LicenseExportSettings, expiryWarningDays: Int,
        tokenCheck: (@Sendable () async -> String?)?
    ) {
        self.store = store
        self.mappings = mappings
        self.clientRules = clientRules
        self.licenseRules = licenseRules
        self.propertiesFile = propertiesFile
        self.export = export
        self.expiryWarningDays = expiryWarningDays
        self.tokenCheck = tokenCheck
    }

    package func run() async throws -> PreflightReport {
        let now = UTCTimestamp.nowMilliseconds()
        let (misp, outbox, clientPolicies) = try store.read { connection in
            (try MISPState.read(connection), try connection.counts(), try Self.policiesOfActiveClients(connection))
        }
        var checks = [
            mappingsCheck(), licenseCheck(misp, now: now), policyFlagsCheck(misp), exportCheck(misp),
            expiryCheck(misp, now: now), clientPoliciesCheck(clientPolicies),
        ]
        checks.append(outboxCheck(failed: outbox.outboxFailed, rejected: outbox.outboxRejected))
        checks.append(await tokenCheckResult())
        return PreflightReport(checks: checks)
    }

    private func mappingsCheck() -> PreflightCheck {
        let set = mappings.mappings
        let ok = !set.claimsSupported.isEmpty && !set.acrAmr.isEmpty
        return PreflightCheck(
            "mappings", ok, "\(set.claimsSupported.count) claims and \(set.acrAmr.count) ACRs loaded",
            fix:
                "Fix mappings.identity, mappings.amrAcr and mappings.openidConfiguration, then systemctl reload pms-gateway"
        )
    }

    private func licenseCheck(_ misp: MISPState?, now: Int64) -> PreflightCheck {
        let name = "mispLicense"
        guard let misp else {
            return PreflightCheck(
                name, false, "no MISP partner (eSignet) is registered",
                fix: "partner.put eSignet as a MISP_Partner, partner.mapPolicy it to its MISP policy (approved), "
                    + "then license.generate {mispId}")
        }
        guard misp.partnerActive else {
            return PreflightCheck(
                name, false, "MISP partner \(misp.partnerId) is not active",
                fix: "partner.put \(misp.partnerId) with status ACTIVE")
        }
        guard let license = misp.license else {
            return PreflightCheck(
                name, false, "MISP partner \(misp.partnerId) has no license key",
                fix: "license.generate {\"mispId\": \"\(misp.partnerId)\"}")
        }
        guard license.status == .active else {
            return PreflightCheck(
                name, false, "the license of \(misp.partnerId) is de-activated",
                fix: "license.update it to Active (or de-activate and license.generate a new one)")
        }
        guard !license.isExpired(at: now) else {
            return PreflightCheck(
                name, false, "the license of \(misp.partnerId) expired at \(license.expiresAt)",
                fix: "license.get {\"mispId\": \"\(misp.partnerId)\"} replaces it; then export it to eSignet")
        }
        return PreflightCheck(
            name, true, "MISP partner \(misp.partnerId) has an active license until \(license.expiresAt)", fix: "")
    }

    private func policyFlagsCheck(_ misp: MISPState?) -> PreflightCheck {
        let name = "mispPolicyFlags"
        guard let misp, let policy = misp.policy else {
            return PreflightCheck(
                name, false, "no MISP policy is mapped to eSignet's MISP partner",
                fix: "policy.put eSignet's MISP policy and partner.mapPolicy it (approved)")
        }
        let missing = PolicyFlagPrerequisite.warnings(for: policy.policy, required: licenseRules.requiredPolicyFlags)
        guard missing.isEmpty else {
            return PreflightCheck(
                name, false,
                "MISP policy \(policy.policyId) does not set " + missing.map(\.value).joined(separator: ", ")
                    + " to true",
                fix: "set them to true in the MISP policy in PMS and policy.put it again")
        }
        return PreflightCheck(name, true, "MISP policy \(policy.policyId) sets every required flag", fix: "")
    }

    private func exportCheck(_ misp: MISPState?) -> PreflightCheck {
        let name = "licenseExported"
        guard let misp, let license = misp.license else {
            return PreflightCheck(name, true, "no license key to export", fix: "")
        }
        let key = license.licenseKey
        var stale: [String] = []
        let properties = Self.configuredFile(propertiesFile).map(PropertiesFile.init(bytes:))
        for property in export.properties where properties?.value(of: property) != key {
            stale.append("\(property) in \(propertiesFile)")
        }
        if let envFile = export.envFile {
            let env = Self.configuredFile(envFile).map(EnvironmentFile.init(bytes:))
            if env?.value(of: LicenseExportSettings.envVariable) != key {
                stale.append("\(LicenseExportSettings.envVariable) in \(envFile)")
            }
        }
        guard stale.isEmpty else {
            return PreflightCheck(
                name, false, "not the current key: " + stale.joined(separator: "; "),
                fix: "license.exportProperties {\"mispId\": \"\(misp.partnerId)\"}, then restart eSignet")
        }
        return PreflightCheck(name, true, "every configured property holds the current key", fix: "")
    }

    private func expiryCheck(_ misp: MISPState?, now: Int64) -> PreflightCheck {
        let name = "licenseExpiry"
        guard let misp, let license = misp.license, license.status == .active else {
            return PreflightCheck(name, true, "no active license", fix: "")
        }
        let days = LicenseExpiryWatch.days(until: license.expiresAtMilliseconds, now: now)
        guard days > expiryWarningDays else {
            return PreflightCheck(
                name, false, "the license of \(misp.partnerId) expires in \(days) days (\(license.expiresAt))",
                fix: "at expiry license.get replaces the key; export it (esignet.autoExportLicense does) "
                    + "and restart eSignet, or raise license.validityDays")
        }
        return PreflightCheck(name, true, "the license expires in \(days) days", fix: "")
    }

    private func clientPoliciesCheck(_ policies: [(policyId: String, clients: Int, policy: JSONValue)])
        -> PreflightCheck
    {
        let lacking = policies.compactMap { entry -> String? in
            let missing = AuthTypePrerequisite.missing(in: entry.policy, required: clientRules.requiredAuthTypes)
            guard !missing.isEmpty else { return nil }
            return "policy \(entry.policyId) (\(entry.clients) active clients) lacks "
                + missing.joined(separator: ", ")
        }
        guard lacking.isEmpty else {
            return PreflightCheck(
                "clientPolicies", false, lacking.joined(separator: "; "),
                fix: "add the auth types to allowedAuthTypes of those policies in PMS and policy.put them again")
        }
        return PreflightCheck(
            "clientPolicies", true, "\(policies.count) policies of active clients allow every required auth type",
            fix: "")
    }

    private func outboxCheck(failed: Int, rejected: Int) -> PreflightCheck {
        guard failed == 0, rejected == 0 else {
            return PreflightCheck(
                "outbox", false, "\(rejected) rejected and \(failed) failed deliveries",
                fix: "outbox.list {\"status\": \"rejected\"} (and \"failed\"), fix the cause, then outbox.retry {seq}")
        }
        return PreflightCheck("outbox", true, "no rejected or failed deliveries", fix: "")
    }

    private func tokenCheckResult() async -> PreflightCheck {
        guard let tokenCheck else {
            return PreflightCheck("token", true, "auth.kind is not set; no token is needed", fix: "")
        }
        if let error = await tokenCheck() {
            return PreflightCheck(
                "token", false, error,
                fix: "check auth.tokenURL, auth.clientId, auth.appId and the secret file, then systemctl reload "
                    + "pms-gateway")
        }
        return PreflightCheck("token", true, "a token is held", fix: "")
    }

    /// A file the export writes, read as the exporter reads it (regular, bounded, through a link);
    /// nil when it cannot be read, which the check reports as not holding the key.
    private static func configuredFile(_ path: String) -> [UInt8]? {
        try? FileContents.readRegularFile(path, maxBytes: PropertiesExporter.maxBytes, followLinks: true)
    }

    private static func policiesOfActiveClients(_ connection: ReadConnection) throws
        -> [(policyId: String, clients: Int, policy: JSONValue)]
    {
        try connection.query(
            """
            SELECT p.policy_id, count(*), p.policy FROM clients c JOIN policies p ON p.policy_id = c.policy_id
            WHERE c.status = 'ACTIVE' GROUP BY p.policy_id ORDER BY p.policy_id
            """
        ).map { row in
            (try row.string(0), try row.int(1), try JSONValue.parse(try row.string(2)))
        }
    }
}

/// eSignet's MISP partner as preflight sees it: the first MISP partner, preferring an active one.
struct MISPState {
    var partnerId: String
    var partnerActive: Bool
    var license: LicenseRecord?
    var policy: PolicyRecord?

    static func read(_ connection: ReadConnection) throws -> MISPState? {
        guard
            let row = try connection.queryFirst(
                """
                SELECT partner_id, status FROM partners WHERE lower(partner_type) = 'misp_partner'
                ORDER BY status = 'ACTIVE' DESC, partner_id LIMIT 1
                """)
        else { return nil }
        let partnerId = try row.string(0)
        let license = try connection.license(mispId: partnerId)
        let mapped = try connection.queryFirst(
            """
            SELECT m.policy_id FROM partner_policies m JOIN policies p ON p.policy_id = m.policy_id
            WHERE m.partner_id = ? AND lower(m.status) = 'approved' AND p.policy_type = 'MISP' LIMIT 1
            """, [SQLValue(partnerId)])
        let policyId = try license?.policyId ?? mapped?.string(0)
        return MISPState(
            partnerId: partnerId, partnerActive: try row.string(1) == "ACTIVE", license: license,
            policy: try policyId.flatMap { id throws(StoreError) in try connection.policy(id) })
    }
}

/// `{ok, checks: [{name, ok, detail, fix}]}`; `fix` is null for a passing check.
package struct PreflightReport: Sendable {
    package var checks: [PreflightCheck]
    package var ok: Bool { checks.allSatisfy(\.ok) }

    package var json: JSONValue {
        ["ok": .bool(ok), "checks": .array(checks.map(\.json))]
    }
}

package struct PreflightCheck: Sendable {
    package var name: String
    package var ok: Bool
    package var detail: String
    package var fix: String

    init(_ name: String, _ ok: Bool, _ detail: String, fix: String) {
        self.name = name
        self.ok = ok
        self.detail = detail
        self.fix = fix
    }

    var json: JSONValue {
        .object(
            JSONObject([
                ("name", .string(name)), ("ok", .bool(ok)), ("detail", .string(detail)),
                ("fix", ok ? .null : .string(fix)),
            ]))
    }
}
