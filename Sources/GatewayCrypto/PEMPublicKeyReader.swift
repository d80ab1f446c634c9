import COpenSSL

/// Why a PEM key file gave no public JWK. Messages are for operators and never quote key material.
package enum KeyFileError: Error, Equatable, Sendable {
    /// A passphrase-protected key (`ENCRYPTED PRIVATE KEY`, or a traditional key with
    /// `Proc-Type: 4,ENCRYPTED`). Refused outright: asking for a passphrase would put a prompt in
    /// front of scripts, and decrypting is not needed to name a public key.
    case encrypted
    /// Not PEM, a PEM block that is not a key, or a key OpenSSL cannot read.
    case unreadable(String)
    /// A readable key of a type or curve that no JWK here can carry.
    case unsupported(String)
}

/// Reads a PEM key file (public or unencrypted private) and returns only its public half as JWK
/// members, so an operator can hand `openssl genpkey` output to the command line directly.
///
/// The private half is decoded by OpenSSL into memory it clears when the key is freed, and
/// nothing derived from it but the public members leaves this type.
package enum PEMPublicKeyReader {
    /// PEM labels that hold a key this reader accepts (SPEC 8).
    package static let acceptedLabels = [
        "PUBLIC KEY", "RSA PUBLIC KEY", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY",
    ]

    /// Whether `bytes` look like PEM at all (a `-----BEGIN ` line), so a caller can tell a PEM
    /// file from a JWK file without guessing from the file name.
    package static func looksLikePEM(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes, as: UTF8.self).contains("-----BEGIN ")
    }

    /// The public JWK members of the first key block in `pem`: `kty` first, then the members
    /// the key type requires, in the order ``PublicKey`` writes them.
    package static func publicJWK(pem: [UInt8]) throws(KeyFileError) -> [PublicKey.Member] {
        let block = try firstKeyBlock(String(decoding: pem, as: UTF8.self))
        let key = try decode(Array(block.utf8))
        defer { EVP_PKEY_free(key) }
        return try publicMembers(of: key)
    }

    /// The text of the first PEM block whose label names a key, checked for encryption first.
    private static func firstKeyBlock(_ text: String) throws(KeyFileError) -> String {
        var labels: [String] = []
        var remaining = Substring(text)
        while let begin = remaining.firstRange(of: "-----BEGIN ") {
            let afterBegin = remaining[begin.upperBound...]
            guard let labelEnd = afterBegin.firstRange(of: "-----") else { break }
            let label = String(afterBegin[..<labelEnd.lowerBound])
            labels.append(label)
            guard let end = afterBegin.firstRange(of: "-----END \(label)-----") else {
                throw .unreadable("the PEM block \(label) has no END line")
            }
            let block = remaining[begin.lowerBound..<end.upperBound]
            if label == "ENCRYPTED PRIVATE KEY" || block.contains("Proc-Type: 4,ENCRYPTED") { throw .encrypted }
            if acceptedLabels.contains(label) { return String(block) + "\n" }
            remaining = afterBegin[end.upperBound...]
        }
        if labels.isEmpty { throw .unreadable("no PEM block found") }
        throw .unreadable(
            "no key block (found \(labels.joined(separator: ", "))); expected one of "
                + acceptedLabels.joined(separator: ", "))
    }

    /// OpenSSL's decoder, which reads SPKI, PKCS#1, PKCS#8 and the traditional EC form alike.
    /// A passphrase callback that always fails makes sure no prompt can ever appear.
    private static func decode(_ block: [UInt8]) throws(KeyFileError) -> OpaquePointer {
        defer { ERR_clear_error() }
        var key: OpaquePointer? = nil
        guard let context = OSSL_DECODER_CTX_new_for_pkey(&key, pmsgw_decoder_input_pem(), nil, nil, 0, nil, nil) else {
            throw .unreadable("OpenSSL has no PEM decoder")
        }
        defer { OSSL_DECODER_CTX_free(context) }
        _ = OSSL_DECODER_CTX_set_passphrase_cb(context, { _, _, _, _, _ in 0 }, nil)
        let decoded = block.withUnsafeBufferPointer { buffer -> Int32 in
            var data = buffer.baseAddress
            var length = buffer.count
            return OSSL_DECODER_from_data(context, &data, &length)
        }
        guard decoded == 1, let key else { throw .unreadable("OpenSSL could not read the key") }
        return key
    }

    private static func publicMembers(of key: OpaquePointer) throws(KeyFileError) -> [PublicKey.Member] {
        if EVP_PKEY_is_a(key, "RSA") == 1 || EVP_PKEY_is_a(key, "RSA-PSS") == 1 {
            return [
                member("kty", "RSA"), member("n", try integer(key, "n")), member("e", try integer(key, "e")),
            ]
        }
        if EVP_PKEY_is_a(key, "EC") == 1 {
            guard let group = try groupName(key), let curve = ECCurve(openSSLGroup: group) else {
                throw .unsupported("EC keys must be on P-256, P-384 or P-521")
            }
            return [
                member("kty", "EC"), PublicKey.Member(name: "crv", value: curve.jwkName),
                member("x", padded(try integer(key, "qx"), curve.coordinateBytes)),
                member("y", padded(try integer(key, "qy"), curve.coordinateBytes)),
            ]
        }
        for curve in ["Ed25519", "X25519", "Ed448", "X448"] where EVP_PKEY_is_a(key, curve) == 1 {
            return [member("kty", "OKP"), PublicKey.Member(name: "crv", value: curve), member("x", try rawPublic(key))]
        }
        throw .unsupported("only RSA, EC and OKP (Ed25519, X25519) keys have a JWK form here")
    }

    private static func member(_ name: String, _ value: String) -> PublicKey.Member {
        PublicKey.Member(name: name, value: value)
    }

    private static func member(_ name: String, _ bytes: [UInt8]) -> PublicKey.Member {
        PublicKey.Member(name: name, value: Base64.encodeURL(bytes))
    }

    /// A public integer parameter (`n`, `e`, `qx`, `qy`) in big-endian bytes without leading zeros.
    private static func integer(_ key: OpaquePointer, _ name: String) throws(KeyFileError) -> [UInt8] {
        var number: OpaquePointer? = nil
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else {
            throw .unreadable("the key has no \(name)")
        }
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: (Int(BN_num_bits(number)) + 7) / 8)
        let written = bytes.withUnsafeMutableBufferPointer { BN_bn2bin(number, $0.baseAddress) }
        guard written == bytes.count else { throw .unreadable("the key's \(name) could not be encoded") }
        return bytes
    }

    private static func groupName(_ key: OpaquePointer) throws(KeyFileError) -> String? {
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        guard EVP_PKEY_get_utf8_string_param(key, "group", &buffer, buffer.count, &length) == 1 else {
            return nil
        }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func rawPublic(_ key: OpaquePointer) throws(KeyFileError) -> [UInt8] {
        var length = 0
        guard EVP_PKEY_get_raw_public_key(key, nil, &length) == 1 else {
            throw .unreadable("the key has no raw public form")
        }
        var bytes = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_public_key(key, &bytes, &length) == 1 else {
            throw .unreadable("the key has no raw public form")
        }
        return Array(bytes[..<length])
    }

    /// RFC 7518 section 6.2.1.2: coordinates are written at the curve's full length.
    private static func padded(_ bytes: [UInt8], _ width: Int) -> [UInt8] {
        [UInt8](repeating: 0, count: max(0, width - bytes.count)) + bytes
    }
}

extension ECCurve {
    /// The curve for OpenSSL's group name (`prime256v1`, `secp384r1`, `secp521r1`), or its NIST
    /// alias, which OpenSSL reports for some keys.
    init?(openSSLGroup name: String) {
        switch name {
        case "prime256v1", "P-256", "secp256r1": self = .p256
        case "secp384r1", "P-384": self = .p384
        case "secp521r1", "P-521": self = .p521
        default: return nil
        }
    }
}
