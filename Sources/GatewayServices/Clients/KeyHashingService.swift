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
