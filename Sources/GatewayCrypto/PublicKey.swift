/// A validated public key, reduced to what the gateway stores and hashes.
///
/// Private material never reaches this type: the parser refuses any JWK that carries it, and
/// `publicMembers` is rebuilt from the decoded key rather than copied from the input.
package struct PublicKey: Sendable, Equatable {
    /// One JWK member, in the order a public JWK should be written back.
    package struct Member: Sendable, Equatable, Hashable {
        package let name: String
        package let value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `"RSA"`, `"EC"` or `"OKP"`.
    package let kty: String
    /// Modulus size of an RSA key, counted without leading zero bytes.
    package let bits: Int?
    /// Curve of an EC or OKP key, spelled as in the JWK (`"P-256"`, `"Ed25519"`, ...).
    package let crv: String?
    /// X.509 SubjectPublicKeyInfo as OpenSSL encodes it; nil for OKP, which PMS hashes raw.
    package let subjectPublicKeyInfoDER: [UInt8]?
    /// `kty` and the key's public members in canonical base64url, then `kid`, `alg`, `use` if given.
    package let publicMembers: [Member]
    /// PMS's client id: base64url_nopad(SHA-256(ASCII(base64_std_padded(DER or raw x)))), 43 chars.
    package let clientId: String

    init(kty: String, bits: Int?, crv: String?, der: [UInt8]?, hashed: [UInt8], publicMembers: [Member]) {
        self.kty = kty
        self.bits = bits
        self.crv = crv
        self.subjectPublicKeyInfoDER = der
        self.publicMembers = publicMembers
        self.clientId = Self.clientId(hashing: hashed)
    }

    /// PMS hashes the base64 text, not the bytes; reproducing that detail is what keeps ids stable
    /// across the migration from PMS.
    static func clientId(hashing keyBytes: [UInt8]) -> String {
        Base64.encodeURL(SHA256Digest.hash(Array(Base64.encode(keyBytes).utf8)))
    }

    /// The public JWK as name/value pairs, for callers that serialise it as an object.
    package var publicJWK: [String: String] {
        Dictionary(publicMembers.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Why a JWK was refused, split the way the spec splits its error codes.
package enum PublicKeyError: Error, Equatable, Sendable {
    /// `PMS_ESI_007` "Failed to process the Public Key": the JWK could not be read at all (`kty`
    /// missing or not a string; a member its `kty` requires missing, not a string or not base64url).
    case unprocessable
    /// `invalid_public_key`: the JWK was readable but is not an acceptable public key. The reason
    /// is for operators and never contains key material.
    case invalid(String)
}
