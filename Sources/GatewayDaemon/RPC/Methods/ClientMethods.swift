import GatewayCrypto
import GatewayJSON
import GatewayServices
import JSONRPC

/// OIDC clients (SPEC 4.3), key hashing (4.4) and `policy.derive` (4.2).
enum ClientCreateMethod: RPCMethod {
    static let name = "client.create"
    static let summary = "Register an OIDC client for an auth partner (PMS POST /oidc/client)."
    static let params: [ParamDescriptor] =
        [.string("name"), .string("policyId"), .object("publicKey"), .string("authPartnerId")] + clientFields
    static let result = ["clientId", "status", "warnings", "esignet"]
    static func decode(_ params: JSONObject) throws -> ClientCreateRequest { try ClientCreateRequest(params: params) }
    static func encode(_ write: ClientWrite) -> JSONValue { idAndStatus(write) }

    /// The fields create and update share.
    static let clientFields: [ParamDescriptor] = [
        .string("logoUri"), .strings("redirectUris"), .strings("grantTypes"), .strings("clientAuthMethods"),
        .object("clientNameLangMap", required: false), .object("additionalConfig", required: false),
        .integer("waitSeconds", required: false),
    ]

    /// `{clientId, status}`, plus `warnings` when the policy lacks a required auth type (SPEC 7.5)
    /// and `esignet` when the caller waited for eSignet (SPEC 7.3).
    static func idAndStatus(_ write: ClientWrite) -> JSONValue {
        var result = JSONObject([
            ("clientId", .string(write.client.clientId)), ("status", .string(write.client.status)),
        ])
        if !write.warnings.isEmpty { result["warnings"] = .array(write.warnings.map(\.json)) }
        if let esignet = write.esignet { result["esignet"] = esignet.json }
        return .object(result)
    }
}

enum ClientUpdateMethod: RPCMethod {
    static let name = "client.update"
    static let summary = "Update or deactivate an OIDC client (PMS PUT /oidc/client/{id})."
    static let params: [ParamDescriptor] =
        [.string("clientId"), .string("clientName"), .string("status")] + ClientCreateMethod.clientFields
    static let result = ["clientId", "status", "warnings", "esignet"]
    static func decode(_ params: JSONObject) throws -> ClientUpdateRequest { try ClientUpdateRequest(params: params) }
    static func encode(_ write: ClientWrite) -> JSONValue { ClientCreateMethod.idAndStatus(write) }
}

enum ClientGetMethod: SingleStringMethod {
    static let name = "client.get"
    static let summary = "One client with its public JWK (eSignet's hot path)."
    static let field = "clientId"
    static let size = 1...Int.max
    static let result = [
        "clientId", "name", "clientNameLangMap", "policyId", "policyName", "authPartnerId", "logoUri", "redirectUris",
        "publicKey", "claims", "acrValues", "status", "grantTypes", "clientAuthMethods", "createdAt", "updatedAt",
        "additionalConfig", "esignet",
    ]
    static func encode(_ view: ClientView) -> JSONValue { view.json }
}

enum ClientListMethod: RPCMethod {
    static let name = "client.list"
    static let summary = "Clients oldest first, paged by cursor."
    static let params: [ParamDescriptor] = [
        .string("authPartnerId", required: false), .string("status", required: false),
        .integer("limit", required: false), .string("cursor", required: false),
    ]
    static let result = ["clients", "nextCursor"]
    static func decode(_ params: JSONObject) throws -> ClientListQuery { try ClientListQuery(params: params) }
    static func encode(_ page: ClientPage) -> JSONValue {
        let clients: [JSONValue] = page.clients.map { client in
            var entry: JSONObject = [
                "clientId": .string(client.clientId), "name": .string(client.name),
                "authPartnerId": .string(client.authPartnerId), "policyId": .string(client.policyId),
                "status": .string(client.status), "createdAt": .string(client.createdAt),
                "updatedAt": .string(client.updatedAt),
            ]
            if let esignet = client.esignet { entry["esignet"] = esignet.json }
            return .object(entry)
        }
        return ["clients": .array(clients), "nextCursor": JSONValue(page.nextCursor)]
    }
}

enum PolicyDeriveMethod: RPCMethod {
    static let name = "policy.derive"
    static let summary = "The claims and ACRs a policy yields (a dry run of client.create)."
    static let params: [ParamDescriptor] = [.string("policyId", required: false), .object("policy", required: false)]
    static let result = ["claims", "acrValues", "warnings"]
    static func decode(_ params: JSONObject) throws -> PolicySource { try PolicySource(params: params) }
    static func encode(_ derivation: PolicyDerivation) -> JSONValue {
        var result: JSONObject = ["claims": JSONValue(derivation.claims), "acrValues": JSONValue(derivation.acrValues)]
        if !derivation.warnings.isEmpty { result["warnings"] = .array(derivation.warnings.map(\.json)) }
        return .object(result)
    }
}

enum KeyClientIdMethod: RPCMethod {
    static let name = "key.clientId"
    static let summary = "PMS's client id for a JWK (RSA, EC or OKP)."
    static let params: [ParamDescriptor] = [.object("publicKey")]
    static let result = ["clientId", "kty", "bits", "crv"]
    static func decode(_ params: JSONObject) throws -> JSONObject { try ParamReader(params).object("publicKey") }
    /// `{clientId, kty, bits}` for RSA, `{clientId, kty, crv}` for EC and OKP.
    static func encode(_ key: PublicKey) -> JSONValue {
        var result = JSONObject([("clientId", .string(key.clientId)), ("kty", .string(key.kty))])
        if let bits = key.bits { result["bits"] = JSONValue(bits) }
        if let crv = key.crv { result["crv"] = .string(crv) }
        return .object(result)
    }
}

extension MethodTable<CallContext> {
    mutating func registerClientMethods(_ clients: ClientRegistry, keys: KeyHashingService) {
        register(
            MethodDescriptor(
                ClientCreateMethod.self,
                deferred: { request, context in
                    try await clients.create(request, context: context)
                }))
        register(
            MethodDescriptor(
                ClientUpdateMethod.self,
                deferred: { request, context in
                    try await clients.update(request, context: context)
                }))
        register(
            MethodDescriptor(
                ClientGetMethod.self,
                serializedImmediate: { clientId, _ in
                    try clients.client(clientId) { SerializedJSON(ClientGetMethod.encode($0)) }
                },
                withoutBlocking: { clientId, _ in try await clients.clientWithoutBlocking(clientId) }))
        register(MethodDescriptor(ClientListMethod.self, immediate: { query, _ in try clients.list(query) }))
        register(MethodDescriptor(PolicyDeriveMethod.self, immediate: { source, _ in try clients.derive(source) }))
        register(MethodDescriptor(KeyClientIdMethod.self, immediate: { jwk, _ in try keys.clientId(of: jwk) }))
    }
}
