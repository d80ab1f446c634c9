import GatewayJSON

/// Something MOSIP's onboarding needs that is missing (SPEC 7.5), reported with the result instead
/// of at the relying party's first login, when IDA would answer IDA-MPA-025 or IDA-MPA-030.
package struct PrerequisiteWarning: Sendable, Equatable {
    package let code: String
    /// The member that names what is missing: `authType` or `flag`.
    package let member: String
    package let value: String

    package var json: JSONValue { .object(JSONObject([("code", .string(code)), (member, .string(value))])) }

    static func missingAuthType(_ authType: String) -> PrerequisiteWarning {
        PrerequisiteWarning(code: AuthTypePrerequisite.code, member: "authType", value: authType)
    }
}

/// An auth partner's policy must allow the auth types eSignet's logins use
/// (`clients.requiredAuthTypes`; the seed's `kycauth`, `kycexchange`, `otp-request`).
package enum AuthTypePrerequisite {
    static let code = "GW_POLICY_MISSING_AUTH_TYPE"
    package static let seedAuthTypes = ["kycauth", "kycexchange", "otp-request"]

    /// The required types the policy's `allowedAuthTypes` lacks, in the configured order. Compared
    /// case-insensitively, as IDA compares them.
    static func missing(in policy: JSONValue, required: [String]) -> [String] {
        let allowed = Set(
            (policy["allowedAuthTypes"]?.arrayValue ?? []).compactMap { $0["authType"]?.stringValue?.lowercased() })
        return required.filter { !allowed.contains($0.lowercased()) }
    }

    static func warnings(for policy: JSONValue, rules: ClientRules) -> [PrerequisiteWarning] {
        missing(in: policy, required: rules.requiredAuthTypes).map(PrerequisiteWarning.missingAuthType)
    }

    /// `clients.prerequisites: "refuse"`: the first missing type stops `client.create`.
    static func refusal(_ authType: String, policyId: String) -> GatewayError {
        GatewayError(
            .refused, code,
            "Policy \(policyId) does not allow auth type \(authType), which logins through eSignet need; "
                + "add it to the policy's allowedAuthTypes")
    }
}

/// eSignet's MISP policy must set every `license.requiredPolicyFlags` flag to true (the seed's
/// four delegation and trust flags); IDA refuses eSignet's calls otherwise.
package enum PolicyFlagPrerequisite {
    static let code = "GW_MISP_POLICY_FLAG_FALSE"
    package static let seedFlags = [
        "allowAuthRequestDelegation", "allowKycRequestDelegation", "trustBindedAuthVerificationToken",
        "allowKeyBindingDelegation",
    ]

    /// One warning per required flag that is false or missing, in the configured order.
    static func warnings(for policy: JSONValue?, required: [String]) -> [PrerequisiteWarning] {
        required.filter { policy?[$0]?.boolValue != true }.map {
            PrerequisiteWarning(code: code, member: "flag", value: $0)
        }
    }
}
