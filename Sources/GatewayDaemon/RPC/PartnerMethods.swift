import GatewayJSON
import GatewayServices
import JSONRPC

/// Partners, policies and mappings (SPEC 4.2).
enum PartnerMethods {
    static func register(in table: inout MethodTable<RPCContext>, _ services: GatewayServiceSet) {
        let partners = services.partners
        table.register(
            MethodDescriptor(
                "partner.put", summary: "Create or replace a partner (idempotent).",
                params: [
                    .string("partnerId"), .string("partnerType"), .string("name"), .string("status"),
                    .string("certificateData", required: false),
                ],
                result: ["partnerId", "status"]
            ) { params, context in try await partners.putPartner(params, context: context.call) }
        )
        table.register(
            MethodDescriptor(
                "partner.get", summary: "A partner as stored.", params: [.string("partnerId")],
                result: ["partnerId", "partnerType", "name", "status", "certificateData"],
                immediate: { params, _ in try partners.getPartner(params) }
            )
        )
        table.register(
            MethodDescriptor(
                "policy.put", summary: "Create or replace a policy (idempotent; Auth and MISP policies are checked).",
                params: [
                    .string("policyId"), .string("policyType"), .string("name"),
                    .string("description", required: false),
                    .string("status"), .string("validFrom", required: false), .string("validTo", required: false),
                    .object("policy"),
                ],
                result: ["policyId", "status"]
            ) { params, context in try await partners.putPolicy(params, context: context.call) }
        )
        table.register(
            MethodDescriptor(
                "policy.get", summary: "A policy as stored.", params: [.string("policyId")],
                result: ["policyId", "policyType", "name", "description", "status", "validFrom", "validTo", "policy"],
                immediate: { params, _ in try partners.getPolicy(params) }
            )
        )
        table.register(
            MethodDescriptor(
                "partner.mapPolicy", summary: "Record a partner-policy mapping and its approval status.",
                params: [.string("partnerId"), .string("policyId"), .string("status")],
                result: ["partnerId", "policyId", "status"]
            ) { params, context in try await partners.mapPolicy(params, context: context.call) }
        )
    }
}
