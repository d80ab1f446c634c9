import GatewayJSON
import GatewayServices
import Testing

@Suite struct KeyHashingTests {
    let service = KeyHashingService(
        rules: ClientRules(minRsaBits: 2048, grantTypes: ["authorization_code"], clientAuthMethods: ["private_key_jwt"])
    )

    @Test func rfc7517KeyGivesPMSClientId() throws {
        let result = try service.clientId(["publicKey": .object(TestKeys.rfc7517)])
        #expect(result == ["clientId": "r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs", "kty": "RSA", "bits": 2048])
    }

    @Test func kidAlgUseAndOrderDoNotChangeTheId() throws {
        let key = TestKeys.rfc7517
        let bare = JSONObject([("e", key["e"]!), ("n", key["n"]!), ("kty", "RSA")])
        for variant in [bare, key.with("kid", "other"), key.with("use", "sig").with("alg", nil)] {
            let result = try service.clientId(["publicKey": .object(variant)])
            #expect(result["clientId"] == "r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs")
        }
    }

    @Test func ecAndOKPReportTheirCurve() throws {
        let ec = try service.clientId(["publicKey": .object(TestKeys.p384)])
        #expect(ec["kty"] == "EC" && ec["crv"] == "P-384" && ec["bits"] == nil)
        #expect(ec["clientId"]?.stringValue?.count == 43)
        let okp: JSONObject = ["kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"]
        let result = try service.clientId(["publicKey": .object(okp)])
        #expect(result["kty"] == "OKP" && result["crv"] == "Ed25519")
        #expect(result["clientId"]?.stringValue?.count == 43)
    }

    @Test func errors() throws {
        let cases: [(JSONObject, String)] = [
            ([:], "PMS_COR_001"),
            (["publicKey": [:]], "PMS_COR_001"),
            (["publicKey": ["n": "AQAB"]], "PMS_ESI_007"),
            (["publicKey": .object(TestKeys.rfc7517.with("d", "AQAB"))], "invalid_public_key"),
            (["publicKey": .object(TestKeys.rsa1024)], "invalid_public_key"),
        ]
        for (params, code) in cases {
            let error = caughtError { _ = try service.clientId(params) }
            #expect(error?.errorCode == code)
            #expect(error?.kind == .invalidParams)
        }
    }
}
