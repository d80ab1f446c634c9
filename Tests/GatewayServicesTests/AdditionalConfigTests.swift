import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Testing

@testable import GatewayServices

/// SPEC 7.2: `additionalConfig` is checked against eSignet's own schema, naming the first failing
/// JSON path; it is stored, returned, journalled and replaced on update; only eSignet's `client`
/// API carries it.
@Suite struct AdditionalConfigTests {
    static let full: JSONObject = [
        "userinfo_response_type": "JWE", "signup_banner_required": true, "forgot_pwd_link_required": false,
        "consent_expire_in_mins": 30, "require_pushed_authorization_requests": true, "dpop_bound_access_tokens": true,
        "require_pkce": true,
        "purpose": ["type": "verify", "title": ["@none": "Verify", "fra": "Vérifier"], "subTitle": nil],
    ]

    static func create(_ key: JSONObject, config: JSONValue) -> JSONObject {
        var params = TestEnvironment.createParams(key)
        params["additionalConfig"] = config
        return params
    }

    @Test func storedReturnedJournalledAndReplaced() async throws {
        try await TestEnvironment.with(clientAPI: "client") { env throws in
            let clientId = try await env.create(Self.create(TestKeys.p256[0], config: .object(Self.full)))
            let client = try env.registry.get(["clientId": .string(clientId)])
            #expect(client["additionalConfig"]?["consent_expire_in_mins"] == 30)
            #expect(client["additionalConfig"]?["purpose"]?["title"]?["fra"] == "Vérifier")
            #expect(try env.journal(entityId: clientId).last?.change["additionalConfig"]?["require_pkce"] == true)
            let esignet = try #require(try env.outboxBodies(orderingKey: clientId).first)
            #expect(esignet.body["additionalConfig"]?["userinfo_response_type"] == "JWE")

            var update = TestEnvironment.updateParams(clientId)
            update["additionalConfig"] = ["require_pkce": false]
            _ = try await env.registry.update(update, context: env.context)
            #expect(
                try env.registry.get(["clientId": .string(clientId)])["additionalConfig"] == ["require_pkce": false])
            // An update without it clears it, as eSignet's PUT replaces the whole client.
            _ = try await env.registry.update(TestEnvironment.updateParams(clientId), context: env.context)
            #expect(try env.registry.get(["clientId": .string(clientId)])["additionalConfig"] == nil)
        }
    }

    /// One refusal per schema rule, with the message naming the path.
    static let refusals: [(JSONObject, String)] = {
        let purposeWithoutType: JSONValue = ["title": ["@none": "x"]]
        let unknownPurposeType: JSONValue = ["type": "pay"]
        let titleWithoutNone: JSONValue = ["type": "verify", "title": ["fra": "x"]]
        let titleNotString: JSONValue = ["type": "verify", "title": ["@none": "x", "fra": 3]]
        let purposeExtra: JSONValue = ["type": "verify", "logo": "x"]
        var cases: [(JSONObject, String)] = []
        cases.append((["consent_expire_in_mins": 5], "additionalConfig.consent_expire_in_mins must be at least 10"))
        cases.append((["unknown": true], "additionalConfig.unknown is not a known property"))
        cases.append(
            (["userinfo_response_type": "XML"], "additionalConfig.userinfo_response_type must be one of JWS, JWE"))
        cases.append((["require_pkce": "yes"], "additionalConfig.require_pkce must be a boolean"))
        cases.append((["consent_expire_in_mins": "30"], "additionalConfig.consent_expire_in_mins must be a number"))
        cases.append((["purpose": purposeWithoutType], "additionalConfig.purpose.type must not be null"))
        cases.append(
            (["purpose": unknownPurposeType], "additionalConfig.purpose.type must be one of none, verify, link, login"))
        cases.append((["purpose": titleWithoutNone], "additionalConfig.purpose.title.@none must not be null"))
        cases.append((["purpose": titleNotString], "additionalConfig.purpose.title.fra must be a string"))
        cases.append((["purpose": purposeExtra], "additionalConfig.purpose.logo is not a known property"))
        cases.append((["purpose": "verify"], "additionalConfig.purpose matches none of the allowed forms"))
        return cases
    }()

    @Test(arguments: refusals)
    func eachSchemaRuleRefusesNamingThePath(config: JSONObject, message: String) async throws {
        try await TestEnvironment.with(clientAPI: "client") { env throws in
            let error = await gatewayError {
                _ = try await env.create(Self.create(TestKeys.p256[1], config: .object(config)))
            }
            #expect(error?.errorCode == "invalid_additional_config")
            #expect(error?.kind == .invalidParams)
            #expect(error?.message == message)
            #expect(try env.outboxBodies(orderingKey: "x").isEmpty)
        }
    }

    @Test func nullMembersTheSchemaAllowsAreAccepted() async throws {
        try await TestEnvironment.with(clientAPI: "client") { env throws in
            _ = try await env.create(Self.create(TestKeys.p256[2], config: ["purpose": nil]))
            _ = try await env.create(
                Self.create(TestKeys.p256[3], config: ["purpose": ["type": "login", "title": nil]]))
        }
    }

    @Test(arguments: ["oidc-client", "oauth-client"])
    func anAPIThatCannotCarryItRefusesIt(api: String) async throws {
        try await TestEnvironment.with(clientAPI: api) { env throws in
            let error = await gatewayError {
                _ = try await env.create(Self.create(TestKeys.p256[4], config: ["require_pkce": true]))
            }
            #expect(error?.errorCode == "invalid_additional_config")
            #expect(error?.message.contains("esignet.clientAPI \"client\"") == true)
            #expect(error?.message.contains(api) == true)
            // Without it the create goes through, and the name map is stored either way.
            var params = TestEnvironment.createParams(TestKeys.p256[4])
            params["clientNameLangMap"] = ["eng": "Resident portal"]
            let clientId = try await env.create(params)
            #expect(
                try env.registry.get(["clientId": .string(clientId)])["clientNameLangMap"] == ["eng": "Resident portal"]
            )
        }
    }

    /// The compiled-in schema is eSignet's file (less its `$schema` line), so the two cannot drift.
    @Test func compiledSchemaEqualsTheConfigFile() throws {
        var file = try #require(
            try JSONValue.parse(
                try FileContents.read("\(TestPaths.configDirectory)/esignet-additional-config-schema.json")
            ).objectValue)
        file["$schema"] = nil
        #expect(JSONValue.object(file) == (try JSONValue.parse(AdditionalConfigRule.text)))
    }
}
