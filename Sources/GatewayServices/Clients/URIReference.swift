/// An absolute URI split into the parts the client rules look at (RFC 3986 section 3).
///
/// Deliberately small: it answers "is this an absolute URI, with which scheme and host", which is
/// all eSignet's redirect and logo rules need. FoundationEssentials' `URL` is not used because it
/// accepts spaces and percent-encodes on its own, which would let malformed URIs through.
struct URIReference: Sendable, Equatable {
    /// The scheme in lower case (`https`, `io.mosip.residentapp`).
    let scheme: String
    /// Everything after `scheme:`; never empty.
    let rest: Substring
    /// The host when the URI has an authority (`//host`), without userinfo, port or brackets' content check.
    let host: String?

    /// Nil unless `text` is an absolute URI made only of characters RFC 3986 allows.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, Self.hasOnlyURICharacters(bytes),
            let colon = text.firstIndex(of: ":"), Self.isScheme(text[..<colon])
        else { return nil }
        scheme = text[..<colon].lowercased()
        rest = text[text.index(after: colon)...]
        guard !rest.isEmpty else { return nil }
        if rest.hasPrefix("//") {
            guard let host = Self.host(ofAuthorityIn: rest.dropFirst(2)) else { return nil }
            self.host = host
        } else {
            host = nil
        }
    }

    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
    private static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, first.isASCIILetter else { return false }
        return text.utf8.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || "+-.".utf8.contains($0) }
    }

    /// The host of `//authority/...`: userinfo and port removed; a port must be digits only.
    private static func host(ofAuthorityIn text: Substring) -> String? {
        let authority = text.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        let host: Substring
        let port: Substring
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return nil }
            host = hostPort[...close]
            port = hostPort[hostPort.index(after: close)...]
            guard port.isEmpty || port.hasPrefix(":") else { return nil }
        } else {
            guard !hostPort.contains("[") && !hostPort.contains("]") else { return nil }
            let colon = hostPort.lastIndex(of: ":")
            host = colon.map { hostPort[..<$0] } ?? hostPort
            port = colon.map { hostPort[$0...] } ?? ""
        }
        guard port.utf8.dropFirst().allSatisfy(\.isASCIIDigit) else { return nil }
        return String(host)
    }

    /// Unreserved, reserved and `%HH` only: no spaces, controls or raw non-ASCII.
    private static func hasOnlyURICharacters(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, bytes[index + 1].isHexDigit, bytes[index + 2].isHexDigit else {
                    return false
                }
                index += 3
                continue
            }
            guard allowed[Int(byte)] else { return false }
            index += 1
        }
        return true
    }

    private static let allowed: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        let characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;="
        for byte in characters.utf8 { table[Int(byte)] = true }
        return table
    }()
}

extension UInt8 {
    fileprivate var isASCIILetter: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
    }

    fileprivate var isASCIIDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }

    fileprivate var isHexDigit: Bool {
        isASCIIDigit || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
