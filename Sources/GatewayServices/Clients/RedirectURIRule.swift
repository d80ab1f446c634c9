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
