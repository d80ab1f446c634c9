/// Reads a JWK the way PMS and eSignet judge it.
///
/// Checks run in two phases, matching the spec's two error codes: first whether the JWK can be
/// read at all (`unprocessable`), then whether it is an acceptable public key (`invalid`).
package enum PublicKeyParser {
    /// Members that only a private or symmetric key has (RFC 7518 sections 6.2.2, 6.3.2, 6.4).
    package static let privateMemberNames = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    /// `client.create` (SPEC 4.3 step 1): RSA and EC only.
    package static func parseForClient(_ jwk: JWKInput, minRsaBits: Int) throws(PublicKeyError) -> PublicKey {
        try parse(jwk, minRsaBits: minRsaBits, acceptsOKP: false)
    }

    /// `key.clientId` (SPEC 4.4): as `parseForClient`, and also OKP keys (Ed25519, X25519),
    /// which PMS hashes as their raw `x` bytes.
    package static func parseForHashing(_ jwk: JWKInput, minRsaBits: Int) throws(PublicKeyError) -> PublicKey {
        try parse(jwk, minRsaBits: minRsaBits, acceptsOKP: true)
    }

    private static func parse(_ jwk: JWKInput, minRsaBits: Int, acceptsOKP: Bool) throws(PublicKeyError)
        -> PublicKey
    {
        guard case .string(let kty) = jwk.member("kty") else { throw .unprocessable }
        switch kty {
        case "RSA":
            let n = try requiredBytes(jwk, "n")
            let e = try requiredBytes(jwk, "e")
            let optional = try checkedCommonMembers(jwk)
            let rsa = try RSAKeyBuilder.build(modulus: n, exponent: e, minimumBits: minRsaBits)
            return PublicKey(
                kty: kty, bits: rsa.bits, crv: nil, der: rsa.der, hashed: rsa.der,
                publicMembers: members(kty, [("n", rsa.modulus), ("e", rsa.exponent)], optional))
        case "EC":
            let crv = try requiredString(jwk, "crv")
            let x = try requiredBytes(jwk, "x")
            let y = try requiredBytes(jwk, "y")
            let optional = try checkedCommonMembers(jwk)
            guard let curve = ECCurve(jwkName: crv) else { throw .invalid("EC crv must be P-256, P-384 or P-521") }
            let ec = try ECKeyBuilder.build(curve: curve, x: x, y: y)
            return PublicKey(
                kty: kty, bits: nil, crv: crv, der: ec.der, hashed: ec.der,
                publicMembers: members(kty, [("x", ec.x), ("y", ec.y)], optional, crv: crv))
        case "OKP":
            let crv = try requiredString(jwk, "crv")
            let x = try requiredBytes(jwk, "x")
            guard acceptsOKP else { throw .invalid("kty must be RSA or EC") }
            let optional = try checkedCommonMembers(jwk)
            guard crv == "Ed25519" || crv == "X25519" else { throw .invalid("OKP crv must be Ed25519 or X25519") }
            guard x.count == 32 else { throw .invalid("OKP x must be 32 bytes for \(crv)") }
            return PublicKey(
                kty: kty, bits: nil, crv: crv, der: nil, hashed: x,
                publicMembers: members(kty, [("x", x)], optional, crv: crv))
        default:
            throw .invalid(acceptsOKP ? "kty must be RSA, EC or OKP" : "kty must be RSA or EC")
        }
    }

    private static func requiredString(_ jwk: JWKInput, _ name: String) throws(PublicKeyError) -> String {
        guard case .string(let value) = jwk.member(name) else { throw .unprocessable }
        return value
    }

    private static func requiredBytes(_ jwk: JWKInput, _ name: String) throws(PublicKeyError) -> [UInt8] {
        guard let bytes = Base64.decodeURL(try requiredString(jwk, name)) else { throw .unprocessable }
        return bytes
    }

    /// Refuses private material and malformed `kid`/`alg`/`use`; returns the optional members to
    /// carry into the public JWK, in a fixed order so the stored JWK does not depend on input order.
    private static func checkedCommonMembers(_ jwk: JWKInput) throws(PublicKeyError) -> [PublicKey.Member] {
        if privateMemberNames.contains(where: jwk.memberNames.contains) {
            throw .invalid("private key members are not accepted")
        }
        var kept: [PublicKey.Member] = []
        for name in ["kid", "alg", "use"] {
            switch jwk.member(name) {
            case .absent:
                continue
            case .notString:
                throw .invalid("\(name) must be a string")
            case .string(let value):
                if name != "kid" && value.allSatisfy(\.isWhitespace) { throw .invalid("\(name) must not be blank") }
                kept.append(PublicKey.Member(name: name, value: value))
            }
        }
        return kept
    }

    private static func members(
        _ kty: String,
        _ keyMembers: [(String, [UInt8])],
        _ optional: [PublicKey.Member],
        crv: String? = nil
    ) -> [PublicKey.Member] {
        var result = [PublicKey.Member(name: "kty", value: kty)]
        if let crv { result.append(PublicKey.Member(name: "crv", value: crv)) }
        result += keyMembers.map { PublicKey.Member(name: $0.0, value: Base64.encodeURL($0.1)) }
        return result + optional
    }
}
