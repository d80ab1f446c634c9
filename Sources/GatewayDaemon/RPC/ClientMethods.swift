import GatewayDelivery
import GatewayJSON
import GatewayServices
import JSONRPC

/// OIDC clients (SPEC 4.3), key hashing (4.4) and `policy.derive` (4.2).
enum ClientMethods {
    static let clientFields: [ParamDescriptor] = [
        .string("logoUri"), .strings("redirectUris"), .strings("grantTypes"), .strings("clientAuthMethods"),
        .object("clientNameLangMap", required: false),
    ]

    static func register(in table: inout MethodTable<RPCContext>, _ services: GatewayServiceSet) {
        let delivery = services.delivery
        let clients = services.clients
        let keys = services.keys
        table.register(
            MethodDescriptor(
                "client.create", summary: "Register an OIDC client for an auth partner (PMS POST /oidc/client).",
                params: [.string("name"), .string("policyId"), .object("publicKey"), .string("authPartnerId")]
                    + clientFields,
                result: ["clientId", "status"]
            ) { params, context in
                try await delivery.afterCommit(clients.create(params, context: context.call))
            }
        )
        table.register(
            MethodDescriptor(
                "client.update", summary: "Update or deactivate an OIDC client (PMS PUT /oidc/client/{id}).",
                params: [.string("clientId"), .string("clientName"), .string("status")] + clientFields,
                result: ["clientId", "status"]
            ) { params, context in
                try await delivery.afterCommit(clients.update(params, context: context.call))
            }
        )
        table.register(
            MethodDescriptor(
                "client.get", summary: "One client with its public JWK (eSignet's hot path).",
                params: [.string("clientId")],
                result: [
                    "clientId", "name", "clientNameLangMap", "policyId", "policyName", "authPartnerId", "logoUri",
                    "redirectUris", "publicKey", "claims", "acrValues", "status", "grantTypes", "clientAuthMethods",
                    "createdAt", "updatedAt",
                ],
                immediate: { params, _ in try clients.get(params) }
            )
        )
        table.register(
            MethodDescriptor(
                "client.list", summary: "Clients oldest first, paged by cursor.",
                params: [
                    .string("authPartnerId", required: false), .string("status", required: false),
                    .integer("limit", required: false), .string("cursor", required: false),
                ],
                result: ["clients", "nextCursor"],
                immediate: { params, _ in try clients.list(params) }
            )
        )
        table.register(
            MethodDescriptor(
                "policy.derive", summary: "The claims and ACRs a policy yields (a dry run of client.create).",
                params: [.string("policyId", required: false), .object("policy", required: false)],
                result: ["claims", "acrValues"],
                immediate: { params, _ in try clients.derive(params) }
            )
        )
        table.register(
            MethodDescriptor(
                "key.clientId", summary: "PMS's client id for a JWK (RSA, EC or OKP).", params: [.object("publicKey")],
                result: ["clientId", "kty", "bits", "crv"],
                immediate: { params, _ in try keys.clientId(params) }
            )
        )
    }
}
