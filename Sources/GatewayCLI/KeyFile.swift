import GatewayCrypto
import GatewayJSON

/// `--key FILE` (SPEC 8): a JWK file or a PEM key, public or unencrypted private, reduced to the
/// public JWK that is sent. The private half never leaves this function: it is not printed,
/// logged or put in any request, and a private JWK's private members are dropped.
package enum KeyFile {
    package static func publicJWK(path: String) throws(CLIError) -> JSONObject {
        var bytes = try InputFile.read(path)
        // Best effort: the file's text, which may hold a private key, does not outlive the call.
        defer { for index in bytes.indices { bytes[index] = 0 } }
        return try publicJWK(bytes: bytes, name: path)
    }

    package static func publicJWK(bytes: [UInt8], name: String) throws(CLIError) -> JSONObject {
        if PEMPublicKeyReader.looksLikePEM(bytes) {
            do throws(KeyFileError) {
                let members = try PEMPublicKeyReader.publicJWK(pem: bytes)
                return JSONObject(members.map { ($0.name, JSONValue.string($0.value)) })
            } catch {
                switch error {
                case .encrypted:
                    throw .data(
                        "\(name): the key is encrypted; give its public key (openssl pkey -in \(name) -pubout) or an unencrypted key"
                    )
                case .unreadable(let reason), .unsupported(let reason):
                    throw .data("\(name): \(reason)")
                }
            }
        }
        guard let value = try? JSONValue.parse(bytes) else {
            throw .data("\(name): neither a PEM key nor a JWK (JSON)")
        }
        var jwk = value.objectValue
        // A JWK Set holding exactly one key is that key (what many key tools write).
        if let keys = jwk?["keys"]?.arrayValue {
            guard keys.count == 1 else {
                throw .data("\(name): a JWK set must hold exactly one key, not \(keys.count)")
            }
            jwk = keys[0].objectValue
        }
        guard var jwk else { throw .data("\(name): a JWK must be a JSON object") }
        for member in PublicKeyParser.privateMemberNames { jwk[member] = nil }
        return jwk
    }
}
