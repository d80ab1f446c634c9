import GatewayTestSupport

/// Just enough DER to pull the public key out of a SubjectPublicKeyInfo that `openssl` wrote,
/// so the tests can build JWKs without trusting the library under test.
struct DERReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset == bytes.count }

    /// Reads one element and returns its tag and contents.
    mutating func read() throws -> (tag: UInt8, contents: [UInt8]) {
        guard offset + 2 <= bytes.count else { throw TestFailure("DER: truncated header") }
        let tag = bytes[offset]
        var length = Int(bytes[offset + 1])
        offset += 2
        if length & 0x80 != 0 {
            let lengthBytes = length & 0x7f
            guard lengthBytes > 0, lengthBytes <= 4, offset + lengthBytes <= bytes.count else {
                throw TestFailure("DER: bad length")
            }
            length = bytes[offset..<offset + lengthBytes].reduce(0) { $0 << 8 | Int($1) }
            offset += lengthBytes
        }
        guard offset + length <= bytes.count else { throw TestFailure("DER: truncated content") }
        defer { offset += length }
        return (tag, Array(bytes[offset..<offset + length]))
    }

    mutating func read(tag expected: UInt8) throws -> [UInt8] {
        let element = try read()
        guard element.tag == expected else { throw TestFailure("DER: unexpected tag") }
        return element.contents
    }

    /// The subjectPublicKey BIT STRING of a SubjectPublicKeyInfo, without its unused-bits byte.
    static func subjectPublicKey(ofSPKI der: [UInt8]) throws -> [UInt8] {
        var outer = DERReader(der)
        var spki = DERReader(try outer.read(tag: 0x30))
        _ = try spki.read(tag: 0x30)  // AlgorithmIdentifier
        let bitString = try spki.read(tag: 0x03)
        guard bitString.first == 0 else { throw TestFailure("DER: bit string with unused bits") }
        return Array(bitString.dropFirst())
    }

    /// `n` and `e` of an RSA SubjectPublicKeyInfo, as DER wrote them (`n` has a leading 0x00).
    static func rsaModulusAndExponent(ofSPKI der: [UInt8]) throws -> (n: [UInt8], e: [UInt8]) {
        var key = DERReader(try subjectPublicKey(ofSPKI: der))
        var sequence = DERReader(try key.read(tag: 0x30))
        return (try sequence.read(tag: 0x02), try sequence.read(tag: 0x02))
    }
}
