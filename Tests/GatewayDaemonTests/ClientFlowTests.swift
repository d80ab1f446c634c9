import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// PMS's client flow through the socket: the same ids, claims, ACRs and codes as PMS's REST API.
@Suite(.tags(.process)) struct ClientFlowTests {
    static let rfc7517Key: JSONValue = [
        "kty": "RSA", "e": "AQAB", "kid": "2011-04-29",
        "n":
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
    ]

    static func samplePolicy() throws -> JSONValue {
        try JSONValue.parse(
            Array(Data(contentsOf: URL(fileURLWithPath: "\(TestPaths.configDirectory)/sample-auth-policy.json"))))
    }

    static func create(key: JSONValue = rfc7517Key) -> JSONValue {
        [
            "name": "Relying party", "policyId": "auth-1", "publicKey": key, "authPartnerId": "rp-1",
            "logoUri": "https://rp.example.org/logo.png",
            "redirectUris": ["io.mosip.residentapp://oauth", "https://rp.example.org/*"],
            "grantTypes": ["authorization_code"], "clientAuthMethods": ["private_key_jwt"],
        ]
    }

    /// Partner, policy and an approved mapping, as PMS would push them.
    static func seed(_ client: RPCClient) throws {
        _ = try client.call("partner.put", Fixtures.partner("rp-1"))
        _ = try client.call("policy.put", Fixtures.policy("auth-1", document: try samplePolicy()))
        _ = try client.call("partner.mapPolicy", ["partnerId": "rp-1", "policyId": "auth-1", "status": "approved"])
    }

    @Test func createGetListAndDerive() throws {
        let client = try TestDaemon().client()
        try Self.seed(client)
        let created = try client.call("client.create", Self.create())
        #expect(created == ["clientId": "r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs", "status": "ACTIVE"])

        let stored = try client.call("client.get", ["clientId": "r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs"])
        #expect(stored["claims"] == ["address", "birthdate", "email", "gender", "name", "phone_number", "picture"])
        #expect(
            stored["acrValues"] == [
                "mosip:idp:acr:biometrics", "mosip:idp:acr:generated-code", "mosip:idp:acr:linked-wallet",
            ])
        #expect(stored["publicKey"]?["d"] == nil)
        #expect(stored["policyName"] == "Policy auth-1")
        #expect(try client.call("policy.derive", ["policyId": "auth-1"])["claims"] == stored["claims"])

        let listed = try client.call("client.list", ["authPartnerId": "rp-1"])
        #expect(listed["clients"]?.arrayValue?.count == 1)
        #expect(listed["nextCursor"] == .null)

        #expect(try client.errorCode("client.create", Self.create()) == "PMS_ESI_001")
        let health = try client.call("system.health")
        #expect(health["clients"] == 1)
        #expect(health["outboxPending"] == 2, "an eSignet call and an IDA event wait with no URL configured")
    }

    @Test func errorsArePMSCodes() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let missingName = try client.request("client.create", ["policyId": "auth-1"])
        #expect(
            missingName["error"]?["data"]?["message"] == "Invalid request parameter - must not be blank :request.name")
        #expect(try client.errorCode("client.create", Self.create()) == "PMS_PRT_058")
        try Self.seed(client)
        guard case .object(var key) = Self.rfc7517Key else { return }
        key["d"] = "AQAB"
        let privateKey = try client.request("client.create", Self.create(key: .object(key)))
        #expect(privateKey["error"]?["code"] == -32602)
        #expect(privateKey["error"]?["data"]?["errorCode"] == "invalid_public_key")
        #expect(try client.errorCode("client.get", ["clientId": "nope"]) == "PMS_ESI_004")
        #expect(!daemon.stderr().contains("0vx7agoebGcQSuuPiLJXZ"), "JWKs are never logged")
    }

    @Test func deactivationIsFinal() throws {
        let client = try TestDaemon().client()
        try Self.seed(client)
        let id = try #require(try client.call("client.create", Self.create())["clientId"])
        let update: JSONValue = [
            "clientId": id, "clientName": "RP", "logoUri": "https://rp.example.org/logo.png",
            "redirectUris": ["https://rp.example.org/cb"], "grantTypes": ["authorization_code"],
            "clientAuthMethods": ["private_key_jwt"], "status": "inactive",
        ]
        #expect(try client.call("client.update", update)["status"] == "INACTIVE")
        #expect(try client.errorCode("client.update", update) == "PMS_ESI_008")
    }
}
