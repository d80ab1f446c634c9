import GatewayCrypto
import GatewayJSON
import GatewayStore

/// An OIDC client as stored: what `client.get` returns and what the journal records.
///
/// `publicKey` holds public members only; the parser rebuilds it from the decoded key, so nothing
/// private can reach this type, the table, the journal or the outbox.
package struct ClientRecord: Sendable, Equatable {
    package var clientId: String
    package var name: String
    package var nameLangMap: JSONObject?
    package var policyId: String
    package var authPartnerId: String
    package var logoUri: String
    package var redirectUris: [String]
    package var publicKey: JSONObject
    package var claims: [String]
    package var acrValues: [String]
    package var status: String
    package var grantTypes: [String]
    package var clientAuthMethods: [String]
    package var createdAt: String
    package var updatedAt: String
    /// eSignet's `additionalConfig` (SPEC 7.2), as the caller gave it.
    package var additionalConfig: JSONObject? = nil

    var isActive: Bool { status == ClientStatus.active }

    /// The journal's `change` (SPEC 6): the new state with the key replaced by its hash.
    var journalChange: JSONValue {
        var object = JSONObject()
        object["clientId"] = .string(clientId)
        object["name"] = .string(name)
        object["clientNameLangMap"] = nameLangMap.map(JSONValue.object) ?? .null
        object["policyId"] = .string(policyId)
        appendState(to: &object, publicKey: .string(PublicKey.journalHash(of: publicKey)))
        if let additionalConfig { object["additionalConfig"] = .object(additionalConfig) }
        return .object(object)
    }

    /// The `client.get` answer (SPEC 4.3) without the joined `policyName`, fields in the spec's
    /// order, `publicKey` public members only: what the `view` column stores. The key and the
    /// name map appear as their columns store them (canonical JSON), whatever order they came in.
    var view: JSONObject {
        var object = JSONObject()
        object["clientId"] = .string(clientId)
        object["name"] = .string(name)
        if let nameLangMap { object["clientNameLangMap"] = Self.canonical(nameLangMap) }
        object["policyId"] = .string(policyId)
        appendState(to: &object, publicKey: Self.canonical(publicKey))
        if let additionalConfig { object["additionalConfig"] = Self.canonical(additionalConfig) }
        return object
    }

    private static func canonical(_ object: JSONObject) -> JSONValue {
        (try? JSONValue.parse(JSONValue.object(object).canonicalBytes())) ?? .object(object)
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
