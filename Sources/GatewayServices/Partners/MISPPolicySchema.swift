import GatewayJSON

/// MOSIP's MISP policy schema (`config/misp-policy-schema.json`, copied from MOSIP's reference
/// data), compiled in so a MISP policy is checked even when the config directory is incomplete.
/// A test compares it with the file so the two cannot drift.
public enum MISPPolicySchema {
    public static let text = """
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
