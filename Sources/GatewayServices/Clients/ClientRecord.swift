import GatewayCrypto
import GatewayJSON
import GatewayStore

/// An OIDC client as stored: what `client.get` returns and what the journal records.
///
/// `publicKey` holds public members only; the parser rebuilds it from the decoded key, so nothing
/// private can reach this type, the table, the journal or the outbox.
struct ClientRecord: Sendable, Equatable {
    var clientId: String
    var name: String
    var nameLangMap: JSONObject?
    var policyId: String
    var authPartnerId: String
    var logoUri: String
    var redirectUris: [String]
    var publicKey: JSONObject
    var claims: [String]
    var acrValues: [String]
    var status: String
    var grantTypes: [String]
    var clientAuthMethods: [String]
    var createdAt: String
    var updatedAt: String

    var isActive: Bool { status == ClientStatus.active }

    /// The `client.get` result (SPEC 4.3), fields in the spec's order.
    func json(policyName: String) -> JSONValue {
        var object = JSONObject()
        object["clientId"] = .string(clientId)
        object["name"] = .string(name)
        if let nameLangMap { object["clientNameLangMap"] = .object(nameLangMap) }
        object["policyId"] = .string(policyId)
        object["policyName"] = .string(policyName)
        appendState(to: &object, publicKey: .object(publicKey))
        return .object(object)
    }

    /// The journal's `change` (SPEC 6): the new state with the key replaced by its hash.
    var journalChange: JSONValue {
        var object = JSONObject()
        object["clientId"] = .string(clientId)
        object["name"] = .string(name)
        object["clientNameLangMap"] = nameLangMap.map(JSONValue.object) ?? .null
        object["policyId"] = .string(policyId)
        appendState(to: &object, publicKey: .string(PublicKey.journalHash(of: publicKey)))
        return .object(object)
    }

    /// One `client.list` entry.
    var summary: JSONValue {
        [
            "clientId": .string(clientId), "name": .string(name), "authPartnerId": .string(authPartnerId),
            "policyId": .string(policyId), "status": .string(status), "createdAt": .string(createdAt),
            "updatedAt": .string(updatedAt),
        ]
    }

    private func appendState(to object: inout JSONObject, publicKey: JSONValue) {
        object["authPartnerId"] = .string(authPartnerId)
        object["logoUri"] = .string(logoUri)
        object["redirectUris"] = JSONValue(redirectUris)
        object["publicKey"] = publicKey
        object["claims"] = JSONValue(claims)
        object["acrValues"] = JSONValue(acrValues)
        object["status"] = .string(status)
        object["grantTypes"] = JSONValue(grantTypes)
        object["clientAuthMethods"] = JSONValue(clientAuthMethods)
        object["createdAt"] = .string(createdAt)
        object["updatedAt"] = .string(updatedAt)
    }
}
