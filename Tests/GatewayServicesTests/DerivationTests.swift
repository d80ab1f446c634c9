import GatewayJSON
import GatewayServices
import Testing

@Suite struct DerivationTests {
    static let sampleClaims = ["address", "birthdate", "email", "gender", "name", "phone_number", "picture"]
    static let sampleACRs = ["mosip:idp:acr:biometrics", "mosip:idp:acr:generated-code", "mosip:idp:acr:linked-wallet"]

    @Test func samplePolicyInlineDerivesTheSpecClaimsAndACRs() async throws {
        try await TestEnvironment.with { env throws in
            let sample = try Reference.json("sample-auth-policy.json")
            let result = try env.registry.derive(JSONObject([("policy", sample)]))
            #expect(result["claims"] == JSONValue(Self.sampleClaims))
            #expect(result["acrValues"] == JSONValue(Self.sampleACRs))
        }
    }

    @Test func storedPolicyDerivesTheSame() async throws {
        try await TestEnvironment.with { env throws in
            let result = try env.registry.derive(["policyId": "pol-auth"])
            #expect(result["claims"] == JSONValue(Self.sampleClaims))
            #expect(result["acrValues"] == JSONValue(Self.sampleACRs))
        }
    }

    @Test(arguments: [
        ("pol-mandatory", "PMS_ESI_003"), ("pol-noclaims", "PMS_ESI_005"), ("pol-noacr", "PMS_ESI_006"),
        ("pol-nothere", "PMS_PRT_073"), ("pol-misp", "PMS_PRT_057"),
    ])
    func derivationErrors(policyId: String, code: String) async throws {
        try await TestEnvironment.with { env throws in
            let error = caughtError { _ = try env.registry.derive(["policyId": .string(policyId)]) }
            #expect(error?.errorCode == code)
        }
    }

    @Test func inlinePolicyIsShapeChecked() async throws {
        try await TestEnvironment.with { env throws in
            let error = caughtError { _ = try env.registry.derive(["policy": ["allowedAuthTypes": []]]) }
            #expect(
                error?.message == "Invalid request parameter - must not be null :request.policy.allowedKycAttributes")
            let missing = caughtError { _ = try env.registry.derive([:]) }
            #expect(missing?.message == "Invalid request parameter - must not be blank :request.policyId")
        }
    }
}
