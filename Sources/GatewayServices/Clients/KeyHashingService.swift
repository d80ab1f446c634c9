import GatewayCrypto
import GatewayJSON

/// `key.clientId` (SPEC 4.4): the client id PMS would give a public key, without storing anything.
///
/// Stateless, so a struct: any number of callers may hash at once. It applies the deployment's
/// `minRsaBits`, so it answers for a key exactly what `client.create` would compute or refuse
/// (except that OKP keys, which PMS can hash but eSignet clients cannot use, are accepted here).
public struct KeyHashingService: Sendable {
    public let minRsaBits: Int

    public init(rules: ClientRules) {
        self.minRsaBits = rules.minRsaBits
    }

    /// → `{clientId, kty, bits}` for RSA, `{clientId, kty, crv}` for EC and OKP.
    public func clientId(_ params: JSONObject) throws -> JSONValue {
        let jwk = try ParamReader(params).object("publicKey")
        let key = try PublicKeyReader.forHashing(jwk, minRsaBits: minRsaBits)
        var result = JSONObject([("clientId", .string(key.clientId)), ("kty", .string(key.kty))])
        if let bits = key.bits { result["bits"] = JSONValue(bits) }
        if let crv = key.crv { result["crv"] = .string(crv) }
        return .object(result)
    }
}
