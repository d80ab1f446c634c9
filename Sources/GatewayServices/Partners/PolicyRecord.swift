import GatewayJSON
import GatewayStore

/// A policy as PMS pushes it (SPEC 4.2 `policy.put`).
package struct PolicyRecord: Sendable, Equatable {
    package var policyId: String
    package var policyType: String
    package var name: String
    package var description: String?
    package var status: String
    package var validFrom: String?
    package var validTo: String?
    package var policy: JSONValue

    /// The policy types whose policies reach IDA in events. IDA stores a policy's description and
    /// dates as NOT NULL and drops an event that lacks them, so for these types they are required
    /// (SPEC 7.4).
    static let typesInEvents: Set<String> = ["Auth", "MISP"]

    /// Reads `policy.put` params in the order of the method's fields.
    package init(params: JSONObject) throws(GatewayError) {
        let reader = ParamReader(params)
        policyId = try reader.string("policyId", size: 1...36)
        policyType = try reader.string("policyType", size: 1...36)
        name = try reader.string("name", size: 1...128)
        let required = Self.typesInEvents.contains(policyType)
        description =
            required
            ? try reader.string("description", size: 1...256) : try reader.optionalString("description", size: 0...256)
        status = try reader.oneOf("status", ["ACTIVE", "INACTIVE"], caseInsensitive: true)
        validFrom = required ? try reader.string("validFrom", size: 1...64) : try reader.optionalString("validFrom")
        validTo = required ? try reader.string("validTo", size: 1...64) : try reader.optionalString("validTo")
        let document = try reader.object("policy", allowEmpty: true)
        try PolicyRules.check(document, type: policyType)
        policy = .object(document)
    }

    init(row: Row) throws(StoreError) {
        policyId = try row.string("policy_id")
        policyType = try row.string("policy_type")
        name = try row.string("name")
        description = try row.optionalString("description")
        status = try row.string("status")
        validFrom = try row.optionalString("valid_from")
        validTo = try row.optionalString("valid_to")
        policy = (try? JSONValue.parse(try row.string("policy"))) ?? .null
    }

    /// `policy.get`'s result, and the journal's `change` for `policy.put`.
    package var json: JSONValue {
        [
            "policyId": .string(policyId), "policyType": .string(policyType), "name": .string(name),
            "description": JSONValue(description), "status": .string(status), "validFrom": JSONValue(validFrom),
            "validTo": JSONValue(validTo), "policy": policy,
        ]
    }

    static let selectSQL = """
        SELECT policy_id, policy_type, name, description, status, valid_from, valid_to, policy
        FROM policies WHERE policy_id = ?
        """
}

extension SQLQuerying where Self: ~Copyable {
    func policy(_ policyId: String) throws(StoreError) -> PolicyRecord? {
        try query(PolicyRecord.selectSQL, [SQLValue(policyId)]).first.map { row throws(StoreError) in
            try PolicyRecord(row: row)
        }
    }
}

extension PolicyRecord {
    /// `policyData` as PMS publishes it to IDA, shared by the client and MISP license events.
    var eventData: JSONValue {
        [
            "policyId": .string(policyId), "policyName": .string(name), "policy": policy,
            "policyStatus": .string(ClientEvents.pmsStatus(status)), "policyDescription": JSONValue(description),
            "policyCommenceOn": JSONValue(validFrom), "policyExpiresOn": JSONValue(validTo),
        ]
    }
}
