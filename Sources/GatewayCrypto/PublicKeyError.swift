/// Why a JWK was refused, split the way the spec splits its error codes.
public enum PublicKeyError: Error, Equatable, Sendable {
    /// `PMS_ESI_007` "Failed to process the Public Key": the JWK could not be read at all (`kty`
    /// missing or not a string; a member its `kty` requires missing, not a string or not base64url).
    case unprocessable
    /// `invalid_public_key`: the JWK was readable but is not an acceptable public key. The reason
    /// is for operators and never contains key material.
    case invalid(String)
}
