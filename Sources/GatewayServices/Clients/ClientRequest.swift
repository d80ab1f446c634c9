import GatewayJSON

/// `client.create` params after bean validation (SPEC 4.3's table, in its order).
///
/// Only shape is checked here; whether the key, partner and policy are acceptable depends on
/// stored state and is decided inside the write transaction.
package struct ClientCreateRequest: Sendable {
    var name: String
    var policyId: String
    var publicKey: JSONObject
    var authPartnerId: String
    var logoUri: String
    var redirectUris: [String]
    var grantTypes: [String]
    var clientAuthMethods: [String]
    var nameLangMap: JSONObject?

    package init(params: JSONObject) throws(GatewayError) {
        let reader = ParamReader(params)
        name = try reader.string("name", size: 1...256)
        policyId = try reader.string("policyId", size: 1...36)
        publicKey = try reader.object("publicKey")
        authPartnerId = try reader.string("authPartnerId", size: 1...100)
        logoUri = try LogoURIRule.read(reader)
        redirectUris = try reader.strings("redirectUris", size: 1...5)
        grantTypes = try reader.strings("grantTypes", size: 1...3)
        clientAuthMethods = try reader.strings("clientAuthMethods", size: 1...3)
        nameLangMap = try ClientNameLangMap.read(reader)
    }
}

/// `client.update` params after bean validation, in the order of the method's field list.
package struct ClientUpdateRequest: Sendable {
    var clientId: String
    var clientName: String
    var logoUri: String
    var redirectUris: [String]
    var grantTypes: [String]
    var clientAuthMethods: [String]
    /// `ACTIVE` or `INACTIVE`, upper-cased whatever case was sent.
    var status: String
    var nameLangMap: JSONObject?

    package init(params: JSONObject) throws(GatewayError) {
        let reader = ParamReader(params)
        clientId = try reader.string("clientId", size: 1...Int.max)
        clientName = try reader.string("clientName", size: 1...256)
        logoUri = try LogoURIRule.read(reader)
        redirectUris = try reader.strings("redirectUris", size: 1...5)
        grantTypes = try reader.strings("grantTypes", size: 1...3)
        clientAuthMethods = try reader.strings("clientAuthMethods", size: 1...3)
        status = try reader.oneOf("status", ClientStatus.all, caseInsensitive: true)
        nameLangMap = try ClientNameLangMap.read(reader)
    }
}

/// A client's two states. Deactivation is final (PMS_ESI_008 on any later update).
enum ClientStatus {
    static let active = "ACTIVE"
    static let inactive = "INACTIVE"
    static let all = [active, inactive]
}
