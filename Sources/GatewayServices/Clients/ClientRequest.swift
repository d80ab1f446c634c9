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
    var settings: ClientSettings
    var nameLangMap: JSONObject?
    var additionalConfig: JSONObject?
    /// SPEC 7.3: seconds to wait for eSignet's answer; nil takes `clients.waitForESignetSeconds`.
    var waitSeconds: Int?

    package init(params: JSONObject) throws(GatewayError) {
        let reader = ParamReader(params)
        name = try reader.string("name", size: 1...256)
        policyId = try reader.string("policyId", size: 1...36)
        publicKey = try reader.object("publicKey")
        authPartnerId = try reader.string("authPartnerId", size: 1...100)
        settings = try ClientSettings(reader)
        nameLangMap = try ClientNameLangMap.read(reader)
        additionalConfig = try AdditionalConfigRule.read(reader)
        waitSeconds = try reader.optionalInt("waitSeconds", range: ESignetWait.range)
    }
}

/// `client.update` params after bean validation, in the order of the method's field list.
package struct ClientUpdateRequest: Sendable {
    var clientId: String
    var clientName: String
    var settings: ClientSettings
    /// `ACTIVE` or `INACTIVE`, upper-cased whatever case was sent.
    var status: String
    var nameLangMap: JSONObject?
    /// Replaces the stored one; absent clears it (eSignet's PUT replaces the whole client).
    var additionalConfig: JSONObject?
    var waitSeconds: Int?

    package init(params: JSONObject) throws(GatewayError) {
        let reader = ParamReader(params)
        clientId = try reader.string("clientId", size: 1...Int.max)
        clientName = try reader.string("clientName", size: 1...256)
        settings = try ClientSettings(reader)
        status = try reader.oneOf("status", ClientStatus.all, caseInsensitive: true)
        nameLangMap = try ClientNameLangMap.read(reader)
        additionalConfig = try AdditionalConfigRule.read(reader)
        waitSeconds = try reader.optionalInt("waitSeconds", range: ESignetWait.range)
    }
}

/// What create and update both set: where eSignet sends users back, and how the client signs in.
struct ClientSettings: Sendable {
    var logoUri: String
    var redirectUris: [String]
    var grantTypes: [String]
    var clientAuthMethods: [String]

    /// Reads the four fields in the methods' order, with PMS's bean rules.
    init(_ reader: ParamReader) throws(GatewayError) {
        logoUri = try LogoURIRule.read(reader)
        redirectUris = try reader.strings("redirectUris", size: 1...5)
        grantTypes = try reader.strings("grantTypes", size: 1...3)
        clientAuthMethods = try reader.strings("clientAuthMethods", size: 1...3)
    }

    /// eSignet's value rules (SPEC 4.3 step 8), checked after the state-dependent steps.
    func check(_ rules: ClientRules) throws(GatewayError) {
        try RedirectURIRule.check(redirectUris)
        guard grantTypes.allSatisfy(rules.grantTypes.contains) else {
            throw GatewayError(.invalidParams, "unsupported_grant_type", "unsupported_grant_type")
        }
        guard clientAuthMethods.allSatisfy(rules.clientAuthMethods.contains) else {
            throw GatewayError(.invalidParams, "invalid_client_auth", "invalid_client_auth")
        }
    }
}

/// A client's two states. Deactivation is final (PMS_ESI_008 on any later update).
enum ClientStatus {
    static let active = "ACTIVE"
    static let inactive = "INACTIVE"
    static let all = [active, inactive]
}
