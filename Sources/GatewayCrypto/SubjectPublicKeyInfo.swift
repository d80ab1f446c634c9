/// The DER of a SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7), written directly.
///
/// The client id is the hash of these bytes, so they must equal what `openssl pkey -pubout
/// -outform DER` writes (the tests compare them byte for byte). For RSA and named-curve EC keys
/// that encoding is fixed: an algorithm identifier, then the key in a BIT STRING. Building it
/// here instead of through OpenSSL's encoders matters for speed: OpenSSL 3 looks an encoder up
/// for every key, under process-wide locks, which made key hashing one core's work whatever the
/// number of cores.
enum SubjectPublicKeyInfo {
    /// rsaEncryption (1.2.840.113549.1.1.1) with its NULL parameters (RFC 3279 section 2.3.1).
    private static let rsaAlgorithm: [UInt8] = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00,
    ]
    /// id-ecPublicKey (1.2.840.10045.2.1); the curve's OID follows (RFC 5480 section 2.1.1).
    private static let ecAlgorithm: [UInt8] = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]

    /// `n` and `e` without leading zero bytes.
    static func rsa(modulus: [UInt8], exponent: [UInt8]) -> [UInt8] {
        let publicKey = sequence(unsignedInteger(modulus) + unsignedInteger(exponent))
        return sequence(sequence(rsaAlgorithm) + bitString(publicKey))
    }

    /// `point` is the uncompressed point, `04 || x || y`.
    static func ec(curve: ECCurve, point: [UInt8]) -> [UInt8] {
        sequence(sequence(ecAlgorithm + curve.objectIdentifier) + bitString(point))
    }

    private static func sequence(_ content: [UInt8]) -> [UInt8] {
        [0x30] + length(content.count) + content
    }

    /// No unused bits: keys are whole bytes.
    private static func bitString(_ content: [UInt8]) -> [UInt8] {
        [0x03] + length(content.count + 1) + [0x00] + content
    }

    /// A non-negative INTEGER: a zero byte in front when the top bit is set, so it is not read as
    /// negative.
    private static func unsignedInteger(_ magnitude: [UInt8]) -> [UInt8] {
        let content = magnitude.isEmpty ? [0] : (magnitude[0] & 0x80 != 0 ? [0] + magnitude : magnitude)
        return [0x02] + length(content.count) + content
    }

    /// Definite length: short form below 128, else the byte count and the big-endian bytes.
    private static func length(_ count: Int) -> [UInt8] {
        guard count >= 0x80 else { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 {
            bytes.insert(UInt8(rest & 0xff), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }
}

extension ECCurve {
    /// The named curve's OID, DER-encoded (RFC 5480 section 2.1.1.1).
    var objectIdentifier: [UInt8] {
        switch self {
        case .p256: [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
        case .p384: [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22]
        case .p521: [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x23]
        }
    }
}
