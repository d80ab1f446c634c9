import GatewayJSON

/// The `clients` section: what eSignet accepts for new clients on this deployment.
package struct ClientRules: Sendable {
    package var minRsaBits: Int
    package var grantTypes: [String]
    package var clientAuthMethods: [String]

    package init(minRsaBits: Int, grantTypes: [String], clientAuthMethods: [String]) {
        self.minRsaBits = minRsaBits
        self.grantTypes = grantTypes
        self.clientAuthMethods = clientAuthMethods
    }
}

/// The `license` section.
package struct LicenseRules: Sendable {
    package var length: Int
    package var validityDays: Int

    package init(length: Int, validityDays: Int) {
        self.length = length
        self.validityDays = validityDays
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
