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
