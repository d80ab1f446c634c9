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

    /// Runs on a read connection: one indexed lookup by key, plus the policy row for a valid key.
    static func validate(key: String, on connection: ReadConnection, now: Int64) throws -> LicenseVerdict {
        // A key is `[0-9a-zA-Z]`: one with a NUL is nobody's, whatever a C string would make of it.
        guard !key.utf8.contains(0), let license = try connection.license(key: key) else {
            return LicenseVerdict(license: nil, errorCode: unknownKey, policy: nil)
        }
        if let failure = failureCode(license, now: now) {
            return LicenseVerdict(license: license, errorCode: failure, policy: nil)
        }
        let policy = try license.policyId.flatMap { id throws(StoreError) in try connection.policy(id) }
        return LicenseVerdict(license: license, errorCode: nil, policy: policy?.policy)
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
