import GatewayJSON

/// What a policy document must contain for its type (SPEC 4.2).
enum PolicyRules {
    /// Checks `policy` for `policyType`; violations name the field below `request.policy`.
    static func check(_ policy: JSONObject, type policyType: String) throws(GatewayError) {
        switch policyType {
        case "Auth": try checkAuth(policy)
        case "MISP": try checkMISP(policy)
        default: return
        }
    }

    private static func checkAuth(_ policy: JSONObject) throws(GatewayError) {
        try checkList(policy, "allowedKycAttributes") { entry, path throws(GatewayError) in
            try requireString(entry, "attributeName", path: path)
        }
        try checkList(policy, "allowedAuthTypes") { entry, path throws(GatewayError) in
            try requireString(entry, "authType", path: path)
            try requireString(entry, "authSubType", path: path, allowBlank: true)
            guard case .bool? = entry["mandatory"] else {
                throw .invalidParameter(
                    "\(path).mandatory", entry["mandatory"] == nil ? "must not be null" : "must be a boolean")
            }
        }
    }

    private static func checkList(
        _ policy: JSONObject, _ name: String, entry check: (JSONObject, String) throws(GatewayError) -> Void
    ) throws(GatewayError) {
        let field = "policy.\(name)"
        guard let value = policy[name] else { throw .invalidParameter(field, "must not be null") }
        guard case .array(let entries) = value else { throw .invalidParameter(field, "must be an array") }
        for (index, entry) in entries.enumerated() {
            guard case .object(let object) = entry else {
                throw .invalidParameter("\(field)[\(index)]", "must be an object")
            }
            try check(object, "\(field)[\(index)]")
        }
    }

    private static func requireString(
        _ entry: JSONObject, _ name: String, path: String, allowBlank: Bool = false
    ) throws(GatewayError) {
        switch entry[name] {
        case nil, .null?: throw .invalidParameter("\(path).\(name)", "must not be null")
        case .string(let text)? where allowBlank || !text.allSatisfy(\.isWhitespace): return
        case .string?: throw .invalidParameter("\(path).\(name)", "must not be blank")
        default: throw .invalidParameter("\(path).\(name)", "must be a string")
        }
    }

    private static func checkMISP(_ policy: JSONObject) throws(GatewayError) {
        do {
            try MISPPolicySchema.validator.validate(.object(policy))
        } catch {
            throw .invalidParameter(error.path.isEmpty ? "policy" : "policy.\(error.path)", error.reason)
        }
    }
}

/// MOSIP's MISP policy schema (`config/misp-policy-schema.json`, copied from MOSIP's reference
/// data), compiled in so a MISP policy is checked even when the config directory is incomplete.
/// A test compares it with the file so the two cannot drift.
package enum MISPPolicySchema {
    package static let text = """
        {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "type": "object",
            "properties": {
              "allowAuthRequestDelegation": { "type": "boolean" },
              "allowKycRequestDelegation": { "type": "boolean" },
              "trustBindedAuthVerificationToken": { "type": "boolean" },
              "allowKeyBindingDelegation": { "type": "boolean" },
              "allowVciRequestDelegation": { "type": "boolean" }
            },
            "required": ["allowAuthRequestDelegation", "allowKycRequestDelegation", "allowKeyBindingDelegation"],
            "additionalProperties": false
        }
        """

    static let validator = JSONSchemaSubset(schema: try! JSONValue.parse(text))
}
