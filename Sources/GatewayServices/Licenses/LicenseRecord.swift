import GatewayCrypto
import GatewayJSON
import GatewayStore

/// One row of `licenses`: a MISP partner's license key and its state.
///
/// The key is a secret shared with IDA: only the result of the call that issues or asks for it
/// and the IDA event carry it. Everything else uses ``keyHash`` (journal) or ``keyHint`` (lists).
package struct LicenseRecord: Sendable, Equatable {
    package var mispId: String
    package var licenseKey: String
    package var status: LicenseStatus
    package var policyId: String?
    package var createdAt: String
    /// When the current key was issued; a key replaced by `license.get` gets a new one.
    package var issuedAt: String
    package var expiresAt: String
    package var expiresAtMilliseconds: Int64
    package var updatedAt: String

    /// Expired at the instant of expiry, not one millisecond later, so `get` and `validate` agree.
    func isExpired(at nowMilliseconds: Int64) -> Bool {
        nowMilliseconds >= expiresAtMilliseconds
    }

    /// The last four characters, enough for an operator to tell keys apart without learning them.
    package var keyHint: String {
        String(licenseKey.suffix(4))
    }

    /// SPEC 6: a license key in the journal is the hex SHA-256 of its canonical JSON (a JSON string).
    var keyHash: String {
        Self.hash(ofKey: licenseKey)
    }

    static func hash(ofKey key: String) -> String {
        SHA256Digest.hex(JSONValue.string(key).canonicalBytes())
    }
}

extension LicenseRecord {
    static let columns = """
        misp_id, license_key, status, policy_id, created_at, issued_at, expires_at, expires_at_ms, updated_at
        """
    static let byMispSQL = "SELECT \(columns) FROM licenses WHERE misp_id = ?"
    static let allSQL = "SELECT \(columns) FROM licenses ORDER BY seq"

    init(row: Row) throws(StoreError) {
        mispId = try row.string("misp_id")
        licenseKey = try row.string("license_key")
        // The table's CHECK admits only the two raw values; anything else is a damaged row.
        guard let status = LicenseStatus(rawValue: try row.string("status")) else {
            throw StoreError(.corrupt, "licenses.status holds an unknown value")
        }
        self.status = status
        policyId = try row.optionalString("policy_id")
        createdAt = try row.string("created_at")
        issuedAt = try row.string("issued_at")
        expiresAt = try row.string("expires_at")
        expiresAtMilliseconds = Int64(try row.int("expires_at_ms"))
        updatedAt = try row.string("updated_at")
    }
}

extension SQLQuerying where Self: ~Copyable {
    func license(mispId: String) throws(StoreError) -> LicenseRecord? {
        try query(LicenseRecord.byMispSQL, [SQLValue(mispId)]).first.map { row throws(StoreError) in
            try LicenseRecord(row: row)
        }
    }
}

extension WriteTransaction {
    /// The license as a write reads it to change it, locked for the rest of the transaction (SPEC
    /// 9): without the lock two daemons' `license.get` could both find the key expired and both
    /// replace it, handing out two keys of which only the last is valid.
    func lockedLicense(mispId: String) throws(StoreError) -> LicenseRecord? {
        try query(LicenseRecord.byMispSQL + lockingRowsRead, [SQLValue(mispId)]).first.map {
            row throws(StoreError) in try LicenseRecord(row: row)
        }
    }

    func licenseKeyExists(_ key: String) throws(StoreError) -> Bool {
        try !query("SELECT 1 FROM licenses WHERE license_key = ?", [SQLValue(key)]).isEmpty
    }
}

/// A license in the journal.
extension LicenseRecord {
    /// The journal's `change`: the new state with the key replaced by its hash (SPEC 6), so the
    /// chain proves which key was issued without anyone reading it back from the journal.
    var journalChange: JSONValue {
        [
            "providerId": .string(mispId), "licenseKey": .string(keyHash),
            "licenseKeyStatus": .string(status.rawValue), "licenseKeyExpiry": .string(expiresAt),
            "licenseKeyIssuedAt": .string(issuedAt), "policyId": JSONValue(policyId),
        ]
    }
}

/// A MISP license's state, in the three spellings MOSIP uses for it.
///
/// PMS accepts `Active`/`De-active` in any case, answers `license.update` in lower case (which is
/// also how the row stores it) and tells IDA `ACTIVE`/`NOT_ACTIVE` in its events.
package enum LicenseStatus: String, Sendable {
    case active = "active"
    case deActive = "de-active"

    /// The `licenseKeyStatus` of a `license.update` request, compared case-insensitively.
    init?(requestValue: String) {
        self.init(rawValue: requestValue.lowercased())
    }

    /// `mispStatus` in the IDA event (SPEC 5).
    var eventValue: String {
        switch self {
        case .active: "ACTIVE"
        case .deActive: "NOT_ACTIVE"
        }
    }
}
