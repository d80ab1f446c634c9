import GatewayCrypto
import GatewayJSON

/// `key.clientId` (SPEC 4.4): the client id PMS would give a public key, without storing anything.
///
/// Stateless, so a struct: any number of callers may hash at once. It applies the deployment's
/// `minRsaBits`, so it answers for a key exactly what `client.create` would compute or refuse
/// (except that OKP keys, which PMS can hash but eSignet clients cannot use, are accepted here).
package struct KeyHashingService: Sendable {
    package let minRsaBits: Int

    package init(rules: ClientRules) {
        self.minRsaBits = rules.minRsaBits
    }

    /// The parsed key: its client id, type and size or curve.
    package func clientId(of jwk: JSONObject) throws -> PublicKey {
        try PublicKeyReader.forHashing(jwk, minRsaBits: minRsaBits)
    }
}

extension JWKInput {
    /// The JWK as the parser sees it: string members by value, every member by name, so a private
    /// member with a non-string value (`oth` is an array) is still seen and refused.
    init(_ object: JSONObject) {
        var strings: [String: String] = [:]
        for (name, value) in object {
            if case .string(let text) = value { strings[name] = text }
        }
        self.init(stringMembers: strings, memberNames: Set(object.keys))
    }
}

extension PublicKeyError {
    /// SPEC 4.3 step 1's two codes. The `invalid` reason comes from the parser and names a rule,
    /// never key material, so it is safe to return and log.
    var gatewayError: GatewayError {
        switch self {
        case .unprocessable:
            GatewayError(.invalidParams, "PMS_ESI_007", "Failed to process the Public Key")
        case .invalid(let reason):
            GatewayError(.invalidParams, "invalid_public_key", reason)
        }
    }
}

extension PublicKey {
    /// The public JWK as a JSON object, members in the parser's fixed order.
    var jwkObject: JSONObject {
        JSONObject(publicMembers.map { ($0.name, JSONValue.string($0.value)) })
    }

    /// What the journal records instead of the key (SPEC 6): hex SHA-256 of its canonical JSON.
    static func journalHash(of jwk: JSONObject) -> String {
        SHA256Digest.hex(JSONValue.object(jwk).canonicalBytes())
    }
}

enum PublicKeyReader {
    /// Parses a client key with SPEC 4.3 step 1's rules, mapping failures to the spec's codes.
    static func forClient(_ jwk: JSONObject, minRsaBits: Int) throws(GatewayError) -> PublicKey {
        do {
            return try PublicKeyParser.parseForClient(JWKInput(jwk), minRsaBits: minRsaBits)
        } catch {
            throw error.gatewayError
        }
    }

    /// Parses any key PMS can hash (SPEC 4.4), OKP included.
    static func forHashing(_ jwk: JSONObject, minRsaBits: Int) throws(GatewayError) -> PublicKey {
        do {
            return try PublicKeyParser.parseForHashing(JWKInput(jwk), minRsaBits: minRsaBits)
        } catch {
            throw error.gatewayError
        }
    }
}
