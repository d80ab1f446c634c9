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
    static func validate(key: String, on connection: ReadConnection, now: Int64) throws -> JSONValue {
        // A key is `[0-9a-zA-Z]`: one with a NUL is nobody's, whatever a C string would make of it.
        guard !key.utf8.contains(0), let license = try connection.license(key: key) else {
            return ["valid": false, "errorCode": .string(unknownKey)]
        }
        if let failure = failureCode(license, now: now) {
            return [
                "valid": false, "mispId": .string(license.mispId), "status": .string(license.status.rawValue),
                "expiresAt": .string(license.expiresAt), "errorCode": .string(failure),
            ]
        }
        var result = JSONObject([
            ("valid", true), ("mispId", .string(license.mispId)), ("status", .string(license.status.rawValue)),
            ("expiresAt", .string(license.expiresAt)),
        ])
        if let policyId = license.policyId, let policy = try connection.policy(policyId) {
            result["policy"] = policy.policy
        }
        return .object(result)
    }

    static func failureCode(_ license: LicenseRecord, now: Int64) -> String? {
        if license.status != .active { return inactiveKey }
        if license.isExpired(at: now) { return expiredKey }
        return nil
    }
}
