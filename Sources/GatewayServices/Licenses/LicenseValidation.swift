import GatewayJSON
import GatewayStore

/// IDA's MISP license check (`license.validate`): an answer, never an error, for any key.
///
/// The outcome depends only on the row found by key, checked in IDA's order: unknown, then not
/// active, then expired. A caller that holds the key may learn its own license's state; one that
/// guesses learns only `IDA-MPA-007`.
enum LicenseValidation {
    static let unknownKey = "IDA-MPA-007"
    static let expiredKey = "IDA-MPA-008"
    static let inactiveKey = "IDA-MPA-017"

    /// What the database says of a key: its license and that license's policy. Independent of
    /// the clock, so it can be cached until the next commit; the verdict is made at each call.
    struct Lookup: Sendable {
        var license: LicenseRecord?
        var policy: JSONValue?
    }

    /// What an unknown key looks up to.
    static let nobodys = Lookup(license: nil, policy: nil)

    /// Whether a license could have `key`, before asking the store. A key is `[0-9a-zA-Z]`: one
    /// with a NUL is nobody's, whatever a C string would make of it.
    static func mayExist(_ key: String) -> Bool { !key.utf8.contains(0) }

    /// The key's license and its policy's document, in one statement by key: a hot lookup
    /// (`Store.read(_:key:cachedAs:_:)`), which PostgreSQL answers for many keys at once.
    static let byKey = KeyedRead(
        columns: licenseColumns + ", p.policy AS policy_document",
        from: "licenses l LEFT JOIN policies p ON p.policy_id = l.policy_id", key: "l.license_key")

    /// `LicenseRecord.columns` of `l`: `policies` has a `status` and a `policy_id` of its own.
    private static let licenseColumns = LicenseRecord.columns.split(separator: ",")
        .map { "l." + $0.trimmingPrefix(" ") }.joined(separator: ", ")

    /// What the row of a key says (nil: no license has the key).
    @Sendable static func lookup(_ row: Row?) throws -> Lookup {
        guard let row else { return nobodys }
        let license = try LicenseRecord(row: row)
        // As `PolicyRecord` reads it: a document that does not parse is null, a missing row nil.
        let policy = try row.optionalString("policy_document").map { (try? JSONValue.parse($0)) ?? .null }
        return Lookup(license: license, policy: license.policyId == nil ? nil : policy)
    }

    static func verdict(_ lookup: Lookup, now: Int64) -> LicenseVerdict {
        guard let license = lookup.license else {
            return LicenseVerdict(license: nil, errorCode: unknownKey, policy: nil)
        }
        if let failure = failureCode(license, now: now) {
            return LicenseVerdict(license: license, errorCode: failure, policy: nil)
        }
        return LicenseVerdict(license: license, errorCode: nil, policy: lookup.policy)
    }

    static func failureCode(_ license: LicenseRecord, now: Int64) -> String? {
        if license.status != .active { return inactiveKey }
        if license.isExpired(at: now) { return expiredKey }
        return nil
    }
}

/// IDA's answer for a key: valid, or why not; the license it found, if any, and its policy's flags.
package struct LicenseVerdict: Sendable {
    /// The license the key belongs to; nil for an unknown key.
    package var license: LicenseRecord?
    /// IDA's code when the key does not validate.
    package var errorCode: String?
    /// The MISP policy document, for a valid key.
    package var policy: JSONValue?
    /// Required policy flags the valid key's policy does not set (SPEC 7.5).
    package var warnings: [PrerequisiteWarning] = []

    package var isValid: Bool { errorCode == nil }
}
