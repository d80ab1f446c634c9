import GatewayJSON
import GatewayServices
import Testing

/// Every refusal path of `client.create`, in SPEC 4.3's order, with exact codes and messages.
@Suite struct CreateValidationTests {
    static let key = TestKeys.p256[0]
    static let valid = TestEnvironment.createParams(key)

    static func cor(_ reason: String, _ field: String) -> String {
        "Invalid request parameter - \(reason) :request.\(field)"
    }

    /// Bean validation: the first failing field in table order, PMS_COR_001 with Hibernate's words.
    static let beanCases: [(JSONObject, String, String)] = [
        ([:], "PMS_COR_001", cor("must not be blank", "name")),
        (valid.with("name", "   "), "PMS_COR_001", cor("must not be blank", "name")),
        (
            valid.with("name", .string(String(repeating: "n", count: 257))), "PMS_COR_001",
            cor("size must be between 1 and 256", "name")
        ),
        (valid.with("name", 5), "PMS_COR_001", cor("must be a string", "name")),
        (valid.with("policyId", nil), "PMS_COR_001", cor("must not be blank", "policyId")),
        (
            valid.with("policyId", .string(String(repeating: "p", count: 37))), "PMS_COR_001",
            cor("size must be between 1 and 36", "policyId")
        ),
        (valid.with("publicKey", nil), "PMS_COR_001", cor("must not be null", "publicKey")),
        (valid.with("publicKey", [:]), "PMS_COR_001", cor("must not be empty", "publicKey")),
        (valid.with("publicKey", "key"), "PMS_COR_001", cor("must be an object", "publicKey")),
        (valid.with("authPartnerId", ""), "PMS_COR_001", cor("must not be blank", "authPartnerId")),
        (valid.with("logoUri", nil), "PMS_COR_001", cor("must not be blank", "logoUri")),
        (valid.with("logoUri", "ftp://rp.example.org/logo.png"), "PMS_COR_001", cor("must be a valid URL", "logoUri")),
        (valid.with("logoUri", "not a url"), "PMS_COR_001", cor("must be a valid URL", "logoUri")),
        (valid.with("redirectUris", nil), "PMS_COR_001", cor("must not be null", "redirectUris")),
        (valid.with("redirectUris", []), "PMS_COR_001", cor("size must be between 1 and 5", "redirectUris")),
        (
            valid.with("redirectUris", ["a", "b", "c", "d", "e", "f"]), "PMS_COR_001",
            cor("size must be between 1 and 5", "redirectUris")
        ),
        (valid.with("redirectUris", [1]), "PMS_COR_001", cor("must be an array of strings", "redirectUris")),
        (valid.with("grantTypes", []), "PMS_COR_001", cor("size must be between 1 and 3", "grantTypes")),
        (
            valid.with("clientAuthMethods", ["a", "b", "c", "d"]), "PMS_COR_001",
            cor("size must be between 1 and 3", "clientAuthMethods")
        ),
        (valid.with("clientNameLangMap", "eng"), "PMS_COR_001", cor("must be an object", "clientNameLangMap")),
        (valid.with("clientNameLangMap", ["xyz": "Portail"]), "invalid_language_code", "invalid_language_code"),
        (valid.with("clientNameLangMap", ["ENG": "Portal"]), "invalid_language_code", "invalid_language_code"),
        (valid.with("clientNameLangMap", ["eng": "  "]), "invalid_client_name_value", "invalid_client_name_value"),
        (valid.with("clientNameLangMap", ["eng": 3]), "invalid_client_name_value", "invalid_client_name_value"),
        (
            valid.with("clientNameLangMap", ["eng": .string(String(repeating: "x", count: 51))]),
            "invalid_client_name_length", "invalid_client_name_length"
        ),
        // The bean checks come before the key is even looked at.
        (
            valid.with("publicKey", ["kty": "RSA"]).with("logoUri", "x"), "PMS_COR_001",
            cor("must be a valid URL", "logoUri")
        ),
    ]

    @Test(arguments: beanCases.indices)
    func beanValidation(index: Int) async throws {
        let (params, code, message) = Self.beanCases[index]
        try await TestEnvironment.with { env throws in
            let error = await gatewayError { try await env.create(params) }
            #expect(error?.errorCode == code)
            #expect(error?.message == message)
            #expect(error?.kind == .invalidParams)
            #expect(try env.count("SELECT count(*) FROM journal WHERE method = 'client.create'") == 0)
        }
    }

    /// Step 1: the JWK itself.
    static let keyCases: [(JSONObject, String, GatewayError.Kind)] = [
        (["n": "AQAB", "e": "AQAB"], "PMS_ESI_007", .invalidParams),
        (["kty": 1, "n": "AQAB", "e": "AQAB"], "PMS_ESI_007", .invalidParams),
        (["kty": "RSA", "e": "AQAB"], "PMS_ESI_007", .invalidParams),
        (["kty": "RSA", "n": "not+base64url", "e": "AQAB"], "PMS_ESI_007", .invalidParams),
        (
            ["kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"], "invalid_public_key",
            .invalidParams
        ),
        (["kty": "oct", "k": "AQAB"], "invalid_public_key", .invalidParams),
        (TestKeys.rsa1024, "invalid_public_key", .invalidParams),
        (TestKeys.rsa2048[0].with("d", "AQAB"), "invalid_public_key", .invalidParams),
        (TestKeys.rsa2048[0].with("oth", []), "invalid_public_key", .invalidParams),
        (TestKeys.p256[1].with("use", " "), "invalid_public_key", .invalidParams),
        (TestKeys.p256[1].with("crv", "P-192"), "invalid_public_key", .invalidParams),
    ]

    @Test(arguments: keyCases.indices)
    func publicKeyChecks(index: Int) async throws {
        let (key, code, kind) = Self.keyCases[index]
        try await TestEnvironment.with { env throws in
            let error = await gatewayError { try await env.create(Self.valid.with("publicKey", .object(key))) }
            #expect(error?.errorCode == code)
            #expect(error?.kind == kind)
            if code == "PMS_ESI_007" { #expect(error?.message == "Failed to process the Public Key") }
        }
    }

    /// Steps 3 to 8, each with the params that fail it and nothing earlier.
    static let stateCases: [(JSONObject, String, String, GatewayError.Kind)] = [
        (
            valid.with("authPartnerId", "nobody"), "PMS_PRT_058", "AuthPartner doesn't exists with this Id - nobody.",
            .notFound
        ),
        (
            valid.with("authPartnerId", "misp-1"), "PMS_PRT_059",
            "Only Auth_partner can Create OIDC Client. MISP_Partner is not allowed to create OIDC Client.", .refused
        ),
        (valid.with("authPartnerId", "auth-off"), "PMS_PMP_016", "Partner is not active.", .refused),
        (valid.with("policyId", "pol-nothere"), "PMS_PRT_073", "Policy not exists.", .notFound),
        (
            valid.with("policyId", "pol-misp"), "PMS_PRT_057",
            "Policy Type Mismatch. Only Auth policy can be used to create OIDC Client.", .refused
        ),
        (valid.with("policyId", "pol-unmapped"), "PMS_PRT_061", "Partner policy mapping not exists.", .refused),
        (
            valid.with("policyId", "pol-pending"), "PMS_ESI_002",
            "Partner policy mapping is not approved. Please check mapping status.", .refused
        ),
        (valid.with("policyId", "pol-noclaims"), "PMS_ESI_005", "Partner has no user claims", .refused),
        (
            valid.with("policyId", "pol-mandatory"), "PMS_ESI_003",
            "Policy having mandatory auths. So client can't be created for the same.", .refused
        ),
        (
            valid.with("policyId", "pol-noacr"), "PMS_ESI_006", "Partner has no Authentication Context Refrences",
            .refused
        ),
        (valid.with("redirectUris", ["/relative"]), "invalid_redirect_uri", "invalid_redirect_uri", .invalidParams),
        (
            valid.with("redirectUris", ["https://ok.example.org/cb", " "]), "invalid_redirect_uri",
            "invalid_redirect_uri", .invalidParams
        ),
        (valid.with("grantTypes", ["implicit"]), "unsupported_grant_type", "unsupported_grant_type", .invalidParams),
        (
            valid.with("clientAuthMethods", ["client_secret_basic"]), "invalid_client_auth", "invalid_client_auth",
            .invalidParams
        ),
        // State checks come before eSignet's value rules, as in PMS.
        (
            valid.with("authPartnerId", "nobody").with("redirectUris", ["/relative"]), "PMS_PRT_058",
            "AuthPartner doesn't exists with this Id - nobody.", .notFound
        ),
        (
            valid.with("policyId", "pol-unmapped").with("grantTypes", ["implicit"]), "PMS_PRT_061",
            "Partner policy mapping not exists.", .refused
        ),
    ]

    @Test(arguments: stateCases.indices)
    func stateChecks(index: Int) async throws {
        let (params, code, message, kind) = Self.stateCases[index]
        try await TestEnvironment.with { env throws in
            let error = await gatewayError { try await env.create(params) }
            #expect(error?.errorCode == code)
            #expect(error?.message == message)
            #expect(error?.kind == kind)
            // A refused create leaves no trace: no row, no journal entry, no outbox row.
            #expect(try env.count("SELECT count(*) FROM clients") == 0)
            #expect(try env.count("SELECT count(*) FROM outbox") == 0)
            #expect(try env.count("SELECT count(*) FROM journal WHERE method = 'client.create'") == 0)
        }
    }

    @Test func duplicateKeyIsRefusedWhateverItsKidOrMemberOrder() async throws {
        try await TestEnvironment.with { env throws in
            let key = TestKeys.rsa2048[0]
            try await env.create(TestEnvironment.createParams(key))
            let reordered = JSONObject(key.members.reversed().map { ($0.key, $0.value) })
            for variant in [key, key.with("kid", "another-kid"), reordered, key.with("alg", "RS256")] {
                let error = await gatewayError {
                    try await env.create(TestEnvironment.createParams(variant, name: "Other"))
                }
                #expect(error?.errorCode == "PMS_ESI_001")
                #expect(error?.message == "Client public key already exists.")
                #expect(error?.kind == .conflict)
            }
            #expect(try env.count("SELECT count(*) FROM clients") == 1)
        }
    }

    @Test func duplicateKeyWinsOverPartnerErrors() async throws {
        try await TestEnvironment.with { env throws in
            try await env.create(Self.valid)
            let error = await gatewayError { try await env.create(Self.valid.with("authPartnerId", "nobody")) }
            #expect(error?.errorCode == "PMS_ESI_001")
        }
    }

    @Test func partnerTypeIsComparedCaseInsensitivelyAndMappingStatusToo() async throws {
        try await TestEnvironment.with { env throws in
            let params = Self.valid.with("authPartnerId", "auth-lower")
            let result = try await env.registry.create(params, context: env.context)
            #expect(result["status"] == "ACTIVE")
        }
    }

    @Test func validLanguageMapIsAccepted() async throws {
        try await TestEnvironment.with { env throws in
            let params = Self.valid.with(
                "clientNameLangMap", ["eng": "Resident portal", "fra": "Portail résident", "ara": "بوابة"])
            let clientId = try await env.create(params)
            let client = try env.registry.get(["clientId": .string(clientId)])
            #expect(
                client["clientNameLangMap"] == ["eng": "Resident portal", "fra": "Portail résident", "ara": "بوابة"])
        }
    }
}
