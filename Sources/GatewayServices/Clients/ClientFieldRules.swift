import GatewayJSON

/// The `clients` section: what eSignet accepts for new clients on this deployment.
package struct ClientRules: Sendable {
    package var minRsaBits: Int
    package var grantTypes: [String]
    package var clientAuthMethods: [String]
    /// `esignet.clientAPI`: only eSignet's `client` API (1.6 and later) carries `additionalConfig`.
    package var clientAPI: String
    /// `clients.waitForESignetSeconds`: how long create and update wait for eSignet's answer when
    /// the call does not say (SPEC 7.3). Zero answers as soon as the client is committed.
    package var waitForESignetSeconds: Int
    /// `clients.requiredAuthTypes` (SPEC 7.5): what every client's policy must allow.
    package var requiredAuthTypes: [String]
    /// `clients.prerequisites` `"refuse"`: a missing auth type fails `client.create` instead of warning.
    package var refusesMissingAuthTypes: Bool

    package init(
        minRsaBits: Int, grantTypes: [String], clientAuthMethods: [String], clientAPI: String = "oidc-client",
        waitForESignetSeconds: Int = 0, requiredAuthTypes: [String] = AuthTypePrerequisite.seedAuthTypes,
        refusesMissingAuthTypes: Bool = false
    ) {
        self.minRsaBits = minRsaBits
        self.grantTypes = grantTypes
        self.clientAuthMethods = clientAuthMethods
        self.clientAPI = clientAPI
        self.waitForESignetSeconds = waitForESignetSeconds
        self.requiredAuthTypes = requiredAuthTypes
        self.refusesMissingAuthTypes = refusesMissingAuthTypes
    }

    /// SPEC 7.2: an `additionalConfig` the configured eSignet API cannot carry is refused, not dropped.
    func check(additionalConfig: JSONObject?) throws(GatewayError) {
        guard additionalConfig != nil, clientAPI != "client" else { return }
        throw AdditionalConfigRule.refusal(
            "additionalConfig is carried only by eSignet's client API (esignet.clientAPI \"client\", eSignet 1.6 and later); "
                + "this daemon uses \"\(clientAPI)\"")
    }
}

/// The `license` section.
package struct LicenseRules: Sendable {
    package var length: Int
    package var validityDays: Int
    /// `license.requiredPolicyFlags` (SPEC 7.5): what eSignet's MISP policy must set to true.
    package var requiredPolicyFlags: [String]

    /// `license.validityDays`: up to mosip-config's own default of 999999 days.
    package static let validityRange = 1...999_999

    package init(length: Int, validityDays: Int, requiredPolicyFlags: [String] = PolicyFlagPrerequisite.seedFlags) {
        self.length = length
        self.validityDays = validityDays
        self.requiredPolicyFlags = requiredPolicyFlags
    }
}

/// `logoUri`: what PMS's `@URL` check and eSignet's display need, an absolute http(s) URL with a
/// host. Length is capped because eSignet renders it in its login page.
enum LogoURIRule {
    static let maximumLength = 2048

    static func isValid(_ uri: String) -> Bool {
        guard uri.utf8.count <= maximumLength, let reference = URIReference(uri),
            reference.scheme == "http" || reference.scheme == "https"
        else { return false }
        return !(reference.host ?? "").isEmpty
    }

    /// Reads `logoUri` with bean-validation wording: blank first, then `must be a valid URL`.
    static func read(_ reader: ParamReader) throws(GatewayError) -> String {
        let uri = try reader.string("logoUri", size: 1...Int.max)
        guard isValid(uri) else { throw .invalidParameter("logoUri", "must be a valid URL") }
        return uri
    }
}

/// eSignet's redirect URI rule (SPEC 4.3 step 8).
///
/// Native apps register custom schemes (`io.mosip.residentapp://oauth`) and some relying parties
/// register `*` patterns (`https://*.example.org/callback/*`); `*` is a legal URI character, so
/// both pass as long as the whole string is an absolute URI. Web schemes must name a host.
enum RedirectURIRule {
    static func isValid(_ uri: String) -> Bool {
        guard let reference = URIReference(uri) else { return false }
        if reference.scheme == "http" || reference.scheme == "https" {
            return !(reference.host ?? "").isEmpty
        }
        return true
    }

    static func check(_ uris: [String]) throws(GatewayError) {
        guard uris.allSatisfy(isValid) else {
            throw GatewayError(.invalidParams, "invalid_redirect_uri", "invalid_redirect_uri")
        }
    }
}

/// `clientNameLangMap`: the client's display name per language, checked with eSignet's codes.
///
/// Kept as an ordered JSON object so `client.get` returns it the way it was given.
enum ClientNameLangMap {
    static let maximumNameLength = 50

    /// Reads the optional map; entries are checked in the order given, each key before its value.
    static func read(_ reader: ParamReader) throws(GatewayError) -> JSONObject? {
        guard let map = try reader.optionalObject("clientNameLangMap") else { return nil }
        for (language, value) in map {
            guard LanguageCodes.isValid(language) else {
                throw GatewayError(.invalidParams, "invalid_language_code", "invalid_language_code")
            }
            guard case .string(let name) = value, !name.allSatisfy(\.isWhitespace) else {
                throw GatewayError(.invalidParams, "invalid_client_name_value", "invalid_client_name_value")
            }
            guard name.count <= maximumNameLength else {
                throw GatewayError(.invalidParams, "invalid_client_name_length", "invalid_client_name_length")
            }
        }
        return map
    }
}

/// eSignet's own `additionalConfig` schema (SPEC 7.2: PAR, DPoP, PKCE, JWE userinfo, consent
/// expiry, purpose), compiled in; a test keeps it equal to `config/esignet-additional-config-schema.json`.
enum AdditionalConfigRule {
    static let text = """
        {
          "type": "object",
          "properties": {
            "userinfo_response_type": { "enum": ["JWS", "JWE"] },
            "purpose": {
              "oneOf": [
                { "type": "null" },
                {
                  "type": "object",
                  "required": ["type"],
                  "properties": {
                    "type": { "enum": ["none", "verify", "link", "login"] },
                    "title": {
                      "oneOf": [
                        { "type": "null" },
                        {
                          "type": "object", "required": ["@none"], "properties": { "@none": { "type": "string" } },
                          "additionalProperties": { "type": "string" }
                        }
                      ]
                    },
                    "subTitle": {
                      "oneOf": [
                        { "type": "null" },
                        {
                          "type": "object", "required": ["@none"], "properties": { "@none": { "type": "string" } },
                          "additionalProperties": { "type": "string" }
                        }
                      ]
                    }
                  },
                  "additionalProperties": false
                }
              ]
            },
            "signup_banner_required": { "type": "boolean" },
            "forgot_pwd_link_required": { "type": "boolean" },
            "consent_expire_in_mins": { "type": "number", "minimum": 10 },
            "require_pushed_authorization_requests": { "type": "boolean" },
            "dpop_bound_access_tokens": { "type": "boolean" },
            "require_pkce": { "type": "boolean" }
          },
          "additionalProperties": false
        }
        """

    static let validator = JSONSchemaSubset(schema: try! JSONValue.parse(text))

    /// Reads the optional `additionalConfig` and checks it against eSignet's schema, naming the
    /// first failing JSON path (`additionalConfig.purpose.title.@none`).
    static func read(_ reader: ParamReader) throws(GatewayError) -> JSONObject? {
        guard let config = try reader.optionalObject("additionalConfig") else { return nil }
        do {
            try validator.validate(.object(config))
        } catch {
            let path = error.path.isEmpty ? "additionalConfig" : "additionalConfig.\(error.path)"
            throw refusal("\(path) \(error.reason)")
        }
        return config
    }

    static func refusal(_ message: String) -> GatewayError {
        GatewayError(.invalidParams, "invalid_additional_config", message)
    }
}
