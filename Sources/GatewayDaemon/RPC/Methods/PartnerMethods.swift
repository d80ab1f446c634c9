import GatewayJSON
import GatewayServices
import JSONRPC

/// Partners, policies and mappings (SPEC 4.2).
enum PartnerPutMethod: RPCMethod {
    static let name = "partner.put"
    static let summary = "Create or replace a partner (idempotent)."
    static let params: [ParamDescriptor] = [
        .string("partnerId"), .string("partnerType"), .string("name"), .string("status"),
        .string("certificateData", required: false),
    ]
    static let result = ["partnerId", "status"]
    static func decode(_ params: JSONObject) throws -> PartnerRecord { try PartnerRecord(params: params) }
    static func encode(_ partner: PartnerRecord) -> JSONValue {
        ["partnerId": .string(partner.partnerId), "status": .string(partner.status)]
    }
}

enum PartnerGetMethod: SingleStringMethod {
    static let name = "partner.get"
    static let summary = "A partner as stored."
    static let field = "partnerId"
    static let size = 1...36
    static let result = ["partnerId", "partnerType", "name", "status", "certificateData"]
    static func encode(_ partner: PartnerRecord) -> JSONValue { partner.json }
}

enum PolicyPutMethod: RPCMethod {
    static let name = "policy.put"
    static let summary = "Create or replace a policy (idempotent; Auth and MISP policies are checked)."
    static let params: [ParamDescriptor] = [
        .string("policyId"), .string("policyType"), .string("name"), .string("description", required: false),
        .string("status"), .string("validFrom", required: false), .string("validTo", required: false),
        .object("policy"),
    ]
    static let result = ["policyId", "status"]
    static func decode(_ params: JSONObject) throws -> PolicyRecord { try PolicyRecord(params: params) }
    static func encode(_ policy: PolicyRecord) -> JSONValue {
        ["policyId": .string(policy.policyId), "status": .string(policy.status)]
    }
}

enum PolicyGetMethod: SingleStringMethod {
    static let name = "policy.get"
    static let summary = "A policy as stored."
    static let field = "policyId"
    static let size = 1...36
    static let result = ["policyId", "policyType", "name", "description", "status", "validFrom", "validTo", "policy"]
    static func encode(_ policy: PolicyRecord) -> JSONValue { policy.json }
}

enum PartnerMapPolicyMethod: RPCMethod {
    static let name = "partner.mapPolicy"
    static let summary = "Record a partner-policy mapping and its approval status."
    static let params: [ParamDescriptor] = [.string("partnerId"), .string("policyId"), .string("status")]
    static let result = ["partnerId", "policyId", "status"]
    static func decode(_ params: JSONObject) throws -> PolicyMapping { try PolicyMapping(params: params) }
    static func encode(_ mapping: PolicyMapping) -> JSONValue { mapping.json }
}

extension MethodTable<CallContext> {
    mutating func registerPartnerMethods(_ partners: PartnerRegistry) {
        register(
            MethodDescriptor(
                PartnerPutMethod.self,
                committing: { partner, context in
                    try await partners.put(partner, context: context)
                }))
        register(
            MethodDescriptor(PartnerGetMethod.self, immediate: { partnerId, _ in try partners.partner(partnerId) }))
        register(
            MethodDescriptor(
                PolicyPutMethod.self,
                committing: { policy, context in
                    try await partners.put(policy, context: context)
                }))
        register(MethodDescriptor(PolicyGetMethod.self, immediate: { policyId, _ in try partners.policy(policyId) }))
        register(
            MethodDescriptor(
                PartnerMapPolicyMethod.self,
                committing: { mapping, context in
                    try await partners.map(mapping, context: context)
                }))
    }
}
