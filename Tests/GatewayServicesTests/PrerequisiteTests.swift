import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Testing

@testable import GatewayServices

/// SPEC 7.5: a relying party's policy must allow `kycauth`, `kycexchange` and `otp-request`, or its
/// first login fails in IDA. create, update and derive say so; with `"refuse"` create fails.
@Suite struct AuthTypePrerequisiteTests {
    static let required = ["kycauth", "kycexchange", "otp-request"]

    /// MOSIP's sample policy without `authType`.
    static func policy(without authType: String) throws -> JSONValue {
        guard case .object(var policy) = try Reference.json("sample-auth-policy.json"),
            let types = policy["allowedAuthTypes"]?.arrayValue
        else { throw TestFailure("sample-auth-policy.json has no allowedAuthTypes") }
        policy["allowedAuthTypes"] = .array(types.filter { $0["authType"]?.stringValue != authType })
        return .object(policy)
    }

    /// Stores the policy as `pol-no-<type>`, mapped to `auth-1`.
    static func storePolicy(_ env: TestEnvironment, without authType: String) async throws -> String {
        let id = "pol-no-\(authType)"
        let document = try policy(without: authType).canonicalText()
        try await env.sql(
            """
            INSERT INTO policies VALUES ('\(id)', 'Auth', 'Lacks \(authType)', 'd', 'ACTIVE', 't', 't', '\(document)', 't', 't');
            INSERT INTO partner_policies (partner_id, policy_id, status, created_at, updated_at)
                VALUES ('auth-1', '\(id)', 'approved', 't', 't')
            """)
        return id
    }

    static func warning(_ authType: String) -> JSONValue {
        ["code": "GW_POLICY_MISSING_AUTH_TYPE", "authType": .string(authType)]
    }

    @Test func theSeedPolicyPassesWithoutWarnings() async throws {
        try await TestEnvironment.with { env throws in
            #expect(try env.registry.derive(["policyId": "pol-auth"])["warnings"] == nil)
            let created = try await env.registry.create(
                TestEnvironment.createParams(TestKeys.p256[6]), context: env.context)
            #expect(created["warnings"] == nil && created["status"] == "ACTIVE")
        }
    }

    @Test(arguments: required) func eachMissingTypeIsWarnedByDeriveCreateAndUpdate(authType: String) async throws {
        try await TestEnvironment.with { env throws in
            let policyId = try await Self.storePolicy(env, without: authType)
            #expect(try env.registry.derive(["policyId": .string(policyId)])["warnings"] == [Self.warning(authType)])
            #expect(
                try env.registry.derive(["policy": try Self.policy(without: authType)])["warnings"]
                    == [Self.warning(authType)])

            var params = TestEnvironment.createParams(TestKeys.p256[7])
            params["policyId"] = .string(policyId)
            let created = try await env.registry.create(params, context: env.context)
            #expect(created["warnings"] == [Self.warning(authType)])
            let clientId = try #require(created["clientId"]?.stringValue)
            let updated = try await env.registry.update(TestEnvironment.updateParams(clientId), context: env.context)
            #expect(updated["warnings"] == [Self.warning(authType)])
            let deactivated = try await env.registry.update(
                TestEnvironment.updateParams(clientId, status: "INACTIVE"), context: env.context)
            #expect(deactivated["warnings"] == nil, "a deactivated client makes no more logins")
        }
    }

    @Test(arguments: required) func refuseModeFailsTheCreateAndStoresNothing(authType: String) async throws {
        try await TestEnvironment.with(refusesMissingAuthTypes: true) { env throws in
            let policyId = try await Self.storePolicy(env, without: authType)
            var params = TestEnvironment.createParams(TestKeys.p256[8])
            params["policyId"] = .string(policyId)
            let refused = await gatewayError { _ = try await env.registry.create(params, context: env.context) }
            #expect(refused?.kind == .refused && refused?.errorCode == "GW_POLICY_MISSING_AUTH_TYPE")
            #expect(refused?.message.contains(authType) == true)
            let stored = try env.store.read { try $0.query("SELECT count(*) FROM clients")[0].int(0) }
            let outbox = try env.store.read { try $0.query("SELECT count(*) FROM outbox")[0].int(0) }
            #expect(stored == 0 && outbox == 0)
            // The seed's policy still passes in refuse mode.
            _ = try await env.create(TestEnvironment.createParams(TestKeys.p256[9]))
        }
    }
}

/// SPEC 7.5: eSignet's MISP policy must set the four delegation and trust flags, or IDA refuses
/// eSignet's calls. `license.generate` and `license.validate` warn for each one false or missing.
@Suite struct PolicyFlagPrerequisiteTests {
    static let flags = [
        "allowAuthRequestDelegation", "allowKycRequestDelegation", "trustBindedAuthVerificationToken",
        "allowKeyBindingDelegation",
    ]

    /// A fixture whose MISP partner `esignet` is mapped to `policy`.
    static func fixture(policy: JSONValue) async throws -> LicenseFixture {
        let fixture = try LicenseFixture()
        try await fixture.addPartner("esignet")
        try await fixture.addPolicy("misp-policy", policy: policy)
        try await fixture.map("esignet", "misp-policy")
        return fixture
    }

    static func warning(_ flag: String) -> JSONValue { ["code": "GW_MISP_POLICY_FLAG_FALSE", "flag": .string(flag)] }

    @Test func theSeedPolicyPassesWithoutWarnings() async throws {
        let fixture = try await Self.fixture(policy: try LicenseFixture.sampleMISPPolicy())
        let issued = try await fixture.service.generate(["mispId": "esignet"], context: fixture.context)
        #expect(issued["warnings"] == nil)
        let key = try #require(issued["licenseKey"])
        let verdict = try fixture.service.validate(["licenseKey": key])
        #expect(verdict["valid"] == true && verdict["warnings"] == nil)
    }

    @Test(arguments: flags, [JSONValue.bool(false), nil])
    func eachFalseOrMissingFlagIsWarned(flag: String, value: JSONValue?) async throws {
        guard case .object(var policy) = try LicenseFixture.sampleMISPPolicy() else { return }
        policy[flag] = value
        let fixture = try await Self.fixture(policy: .object(policy))
        let issued = try await fixture.service.generate(["mispId": "esignet"], context: fixture.context)
        #expect(issued["warnings"] == [Self.warning(flag)])
        let key = try #require(issued["licenseKey"])
        let verdict = try fixture.service.validate(["licenseKey": key])
        #expect(verdict["valid"] == true, "a warning, not a refusal: IDA decides")
        #expect(verdict["warnings"] == [Self.warning(flag)])
        #expect(try fixture.service.validate(["licenseKey": "unknown"])["warnings"] == nil)
    }

    @Test func mosipConfigsOwnValidityIsAccepted() async throws {
        let fixture = try LicenseFixture(
            rules: LicenseRules(length: 50, validityDays: LicenseRules.validityRange.upperBound))
        try await fixture.addPartner("esignet")
        try await fixture.addPolicy("misp-policy")
        try await fixture.map("esignet", "misp-policy")
        let issued = try await fixture.service.generate(["mispId": "esignet"], context: fixture.context)
        let expiry = try #require(issued["licenseKeyExpiry"]?.stringValue)
        #expect(expiry.hasPrefix("47"), "999999 days from 2026 is in the 48th century: \(expiry)")
        #expect(try fixture.service.validate(["licenseKey": try #require(issued["licenseKey"])])["valid"] == true)
    }
}
