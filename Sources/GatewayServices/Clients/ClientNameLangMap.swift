import GatewayJSON

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
