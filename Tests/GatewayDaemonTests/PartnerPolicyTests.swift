import GatewayJSON
import Testing

@Suite(.tags(.process)) struct PartnerPolicyTests {
    @Test func partnerValidationNamesTheFirstBadField() throws {
        let client = try TestDaemon().client()
        let cases: [(JSONValue, String)] = [
            ([:], "Invalid request parameter - must not be blank :request.partnerId"),
            (["partnerId": "  "], "Invalid request parameter - must not be blank :request.partnerId"),
            (
                ["partnerId": .string(String(repeating: "x", count: 37))],
                "Invalid request parameter - size must be between 1 and 36 :request.partnerId"
            ),
            (
                ["partnerId": "p1", "partnerType": 5],
                "Invalid request parameter - must be a string :request.partnerType"
            ),
            (
                ["partnerId": "p1", "partnerType": "Auth_Partner"],
                "Invalid request parameter - must not be blank :request.name"
            ),
            (
                ["partnerId": "p1", "partnerType": "Auth_Partner", "name": "n", "status": "LIVE"],
                "Invalid request parameter - must be one of ACTIVE, INACTIVE :request.status"
            ),
        ]
        for (params, message) in cases {
            let error = try #require(try client.request("partner.put", params)["error"])
            #expect(error["code"] == -32602)
            #expect(error["data"]?["errorCode"] == "PMS_COR_001")
            #expect(error["data"]?["message"]?.stringValue == message)
        }
        #expect(try client.call("journal.verify")["entries"] == 0)
    }

    @Test func identicalPutsJournalOnceAndReadsNever() throws {
        let client = try TestDaemon().client()
        for _ in 0..<3 { _ = try client.call("partner.put", Fixtures.partner("p1")) }
        _ = try client.call("partner.get", ["partnerId": "p1"])
        _ = try client.call("policy.put", Fixtures.policy("pol1"))
        _ = try client.call("policy.put", Fixtures.policy("pol1"))
        _ = try client.call("policy.get", ["policyId": "pol1"])
        #expect(try client.call("journal.verify")["entries"] == 2)
        _ = try client.call("partner.put", Fixtures.partner("p1", status: "INACTIVE"))
        #expect(try client.call("partner.get", ["partnerId": "p1"])["status"] == "INACTIVE")
        #expect(try client.call("journal.verify")["entries"] == 3)
        #expect(try client.errorCode("partner.get", ["partnerId": "nope"]) == "GW_NOT_FOUND")
    }

    @Test func authPolicyNeedsAttributesAndAuthTypes() throws {
        let client = try TestDaemon().client()
        let missing = try client.request("policy.put", Fixtures.policy("a1", document: ["allowedAuthTypes": []]))
        #expect(
            missing["error"]?["data"]?["message"]
                == "Invalid request parameter - must not be null :request.policy.allowedKycAttributes")
        let badEntry = try client.request(
            "policy.put",
            Fixtures.policy(
                "a1",
                document: ["allowedKycAttributes": [["attributeName": "x"]], "allowedAuthTypes": [["authType": "otp"]]])
        )
        #expect(
            badEntry["error"]?["data"]?["message"]
                == "Invalid request parameter - must not be null :request.policy.allowedAuthTypes[0].authSubType")
        #expect(try client.call("policy.put", Fixtures.policy("a1"))["status"] == "ACTIVE")
    }

    @Test func mispPolicyIsCheckedAgainstTheSchema() throws {
        let client = try TestDaemon().client()
        let cases: [(JSONValue, String)] = [
            (
                ["allowAuthRequestDelegation": true, "allowKycRequestDelegation": true],
                "Invalid request parameter - must not be null :request.policy.allowKeyBindingDelegation"
            ),
            (
                [
                    "allowAuthRequestDelegation": "yes", "allowKycRequestDelegation": true,
                    "allowKeyBindingDelegation": true,
                ],
                "Invalid request parameter - must be a boolean :request.policy.allowAuthRequestDelegation"
            ),
            (
                [
                    "allowAuthRequestDelegation": true, "allowKycRequestDelegation": true,
                    "allowKeyBindingDelegation": true, "extra": 1,
                ],
                "Invalid request parameter - is not a known property :request.policy.extra"
            ),
        ]
        for (document, message) in cases {
            let response = try client.request("policy.put", Fixtures.policy("m1", type: "MISP", document: document))
            #expect(response["error"]?["data"]?["message"]?.stringValue == message)
        }
        _ = try client.call("policy.put", Fixtures.policy("m1", type: "MISP"))
    }

    @Test func mappingNeedsKnownPartnerAndPolicy() throws {
        let client = try TestDaemon().client()
        _ = try client.call("partner.put", Fixtures.partner("p1"))
        _ = try client.call("policy.put", Fixtures.policy("pol1"))
        #expect(
            try client.errorCode("partner.mapPolicy", ["partnerId": "p9", "policyId": "pol1", "status": "approved"])
                == "GW_NOT_FOUND")
        #expect(
            try client.errorCode("partner.mapPolicy", ["partnerId": "p1", "policyId": "pol9", "status": "approved"])
                == "GW_NOT_FOUND")
        #expect(
            try client.errorCode("partner.mapPolicy", ["partnerId": "p1", "policyId": "pol1", "status": "ok"])
                == "PMS_COR_001")
        let mapped = try client.call(
            "partner.mapPolicy", ["partnerId": "p1", "policyId": "pol1", "status": "APPROVED"])
        #expect(mapped["status"] == "approved")
    }
}
