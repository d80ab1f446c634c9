import GatewayJSON
import GatewayServices
import GatewayTestSupport
import Testing

/// `client.create` plans its write before it queues, from the partner, policy and mapping the last
/// create of the pair passed; the writer uses the plan only when it reads the same rows under the
/// same mappings. These creates are planned from inputs made stale behind the registry's back, and
/// must follow what the write itself reads.
@Suite struct CreationPlanTests {
    /// A policy that derives one claim, where the sample derives seven.
    static let oneClaim =
        #"{"allowedKycAttributes":[{"attributeName":"fullName"}],"allowedAuthTypes":[{"authType":"otp","authSubType":"","mandatory":false}]}"#

    @Test func aPolicyChangedSinceTheLastCreateIsDerivedAfresh() async throws {
        try await TestEnvironment.with { env throws in
            let first = try await env.create(TestEnvironment.createParams(TestKeys.p256[11]))
            #expect(
                try env.registry.get(["clientId": .string(first)])["claims"] == JSONValue(DerivationTests.sampleClaims))
            // Changed by plain SQL: the registry is not told, so its inputs for the pair are stale.
            try await env.sql("UPDATE policies SET policy = '\(Self.oneClaim)' WHERE policy_id = 'pol-auth'")
            let second = try await env.create(TestEnvironment.createParams(TestKeys.p256[12]))
            let client = try env.registry.get(["clientId": .string(second)])
            #expect(client["claims"] == ["name"])
            #expect(client["acrValues"] == ["mosip:idp:acr:generated-code"])
            let events = try env.outboxBodies(orderingKey: second)
            #expect(events.map(\.body["userClaims"]) == [["name"], nil])
            #expect(events.last?.body["policyData"]?["policy"] == (try JSONValue.parse(Self.oneClaim)))
        }
    }

    @Test func aPartnerSuspendedSinceTheLastCreateIsRefused() async throws {
        try await TestEnvironment.with { env throws in
            try await env.create(TestEnvironment.createParams(TestKeys.p256[13]))
            try await env.setPartnerStatus("auth-1", "INACTIVE")
            let error = await gatewayError { try await env.create(TestEnvironment.createParams(TestKeys.p256[14])) }
            #expect(error?.errorCode == "PMS_PMP_016")
            #expect(try env.count("SELECT count(*) FROM clients") == 1)
            #expect(try env.count("SELECT count(*) FROM outbox") == 2)
        }
    }

    /// SIGHUP swaps the mappings without touching a row: the rows read the same, and only the
    /// mappings' generation tells that the derivation is stale.
    @Test func aMappingSwapIsDerivedAfresh() async throws {
        try await TestEnvironment.with { env throws in
            let files = try TemporaryDirectory(prefix: "mappings")
            try files.write("identity-mapping.json", #"{"identity":{"name":{"value":"fullName"}}}"#)
            let narrowed = try MappingSet.load(
                MappingFiles(
                    identity: files.file("identity-mapping.json"),
                    amrAcr: TestPaths.reference("amr-acr-mapping.json"),
                    openidConfiguration: TestPaths.reference("openid-configuration.json")))
            let mappings = CurrentMappings(try Reference.mappings())
            let registry = ClientRegistry(store: env.store, mappings: mappings, rules: env.rules, logger: quietLogger)
            let first = try await registry.create(TestEnvironment.createParams(TestKeys.p256[15]), context: env.context)
            mappings.replace(with: narrowed)
            let second = try await registry.create(
                TestEnvironment.createParams(TestKeys.p256[16]), context: env.context)
            let claims = try [first, second].map { result in
                try registry.get(["clientId": try #require(result["clientId"])])["claims"]
            }
            #expect(claims == [JSONValue(DerivationTests.sampleClaims), ["name"]])
        }
    }
}
