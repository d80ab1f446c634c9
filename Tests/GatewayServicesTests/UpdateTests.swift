import GatewayJSON
import GatewayServices
import Testing

@Suite struct UpdateTests {
    @Test func updateReplacesEditableFieldsOnly() async throws {
        try await TestEnvironment.with { env throws in
            let key = TestKeys.p256[34]
            let clientId = try await env.create(TestEnvironment.createParams(key))
            let before = try env.registry.get(["clientId": .string(clientId)])
            let params = TestEnvironment.updateParams(clientId, status: "active").with(
                "clientNameLangMap", ["eng": "Renamed"])
            let result = try await env.registry.update(params, context: env.context)
            #expect(result == ["clientId": .string(clientId), "status": "ACTIVE"])

            let after = try env.registry.get(["clientId": .string(clientId)])
            #expect(after["name"] == "Renamed portal")
            #expect(after["clientNameLangMap"] == ["eng": "Renamed"])
            #expect(after["logoUri"] == "https://rp.example.org/logo-2.png")
            #expect(after["redirectUris"] == ["https://rp.example.org/cb2"])
            for unchanged in ["publicKey", "claims", "acrValues", "policyId", "authPartnerId", "createdAt", "status"] {
                #expect(after[unchanged] == before[unchanged], "\(unchanged) changed")
            }
        }
    }

    @Test func updateEnqueuesThePutAndTheUpdatedEvent() async throws {
        try await TestEnvironment.with { env throws in
            let clientId = try await env.create(TestEnvironment.createParams(TestKeys.p256[35]))
            _ = try await env.registry.update(TestEnvironment.updateParams(clientId), context: env.context)
            let rows = try env.outboxBodies(orderingKey: clientId)
            try #require(rows.count == 4)
            let put = rows[2]
            #expect(put.target == "esignet" && put.topic == "OIDC_CLIENT_UPDATED")
            // eSignet's PUT request object (delivery adds the path, method and requestTime).
            let expected: JSONValue = [
                "logoUri": "https://rp.example.org/logo-2.png", "redirectUris": ["https://rp.example.org/cb2"],
                "status": "ACTIVE", "grantTypes": ["authorization_code"], "clientName": "Renamed portal",
                "userClaims": JSONValue(DerivationTests.sampleClaims),
                "authContextRefs": JSONValue(DerivationTests.sampleACRs),
                "clientAuthMethods": ["private_key_jwt"],
            ]
            #expect(put.body == expected)
            let event = rows[3]
            #expect(event.target == "ida" && event.topic == "OIDC_CLIENT_UPDATED")
            #expect(event.body.objectValue?.keys == ["clientData"])
            #expect(
                event.body["clientData"] == [
                    "clientId": .string(clientId), "clientName": "Renamed portal", "clientStatus": "ACTIVE",
                    "userClaims": JSONValue(DerivationTests.sampleClaims),
                    "authContextRefs": JSONValue(DerivationTests.sampleACRs), "clientAuthMethods": ["private_key_jwt"],
                ])
            let journal = try env.journal(entityId: clientId)
            #expect(journal.map(\.method) == ["client.create", "client.update"])
            #expect(journal[1].change["name"] == "Renamed portal")
        }
    }

    @Test func deactivationAppliesOnlyTheStatusAndIsFinal() async throws {
        try await TestEnvironment.with { env throws in
            let clientId = try await env.create(TestEnvironment.createParams(TestKeys.p256[36]))
            // Other fields differ (and one is even a grant type eSignet would refuse): only the status applies.
            let params = TestEnvironment.updateParams(clientId, status: "inactive").with("grantTypes", ["implicit"])
            let result = try await env.registry.update(params, context: env.context)
            #expect(result["status"] == "INACTIVE")
            let client = try env.registry.get(["clientId": .string(clientId)])
            #expect(client["status"] == "INACTIVE")
            #expect(client["name"] == "Resident portal")
            #expect(client["logoUri"] == "https://rp.example.org/logo.png")
            #expect(client["grantTypes"] == ["authorization_code"])

            for status in ["ACTIVE", "INACTIVE"] {
                let error = await gatewayError {
                    _ = try await env.registry.update(
                        TestEnvironment.updateParams(clientId, status: status), context: env.context)
                }
                #expect(error?.errorCode == "PMS_ESI_008")
                #expect(error?.message == "Client already deactivated.")
                #expect(error?.kind == .conflict)
            }
            // A deactivated key stays registered: creating it again is still a duplicate.
            let again = await gatewayError { try await env.create(TestEnvironment.createParams(TestKeys.p256[36])) }
            #expect(again?.errorCode == "PMS_ESI_001")
        }
    }

    @Test func inactivePartnerMayOnlyDeactivate() async throws {
        try await TestEnvironment.with { env throws in
            let clientId = try await env.create(TestEnvironment.createParams(TestKeys.p256[37]))
            try await env.setPartnerStatus("auth-1", "INACTIVE")
            let error = await gatewayError {
                _ = try await env.registry.update(TestEnvironment.updateParams(clientId), context: env.context)
            }
            #expect(error?.errorCode == "PMS_PMP_016")
            #expect(error?.kind == .refused)
            let result = try await env.registry.update(
                TestEnvironment.updateParams(clientId, status: "INACTIVE"), context: env.context)
            #expect(result["status"] == "INACTIVE")
        }
    }

    @Test func updateErrors() async throws {
        try await TestEnvironment.with { env throws in
            let clientId = try await env.create(TestEnvironment.createParams(TestKeys.p256[38]))
            let cases: [(JSONObject, String, String)] = [
                (TestEnvironment.updateParams("no-such-client"), "PMS_ESI_004", "Client not exists with given id."),
                (
                    TestEnvironment.updateParams(clientId).with("clientId", nil), "PMS_COR_001",
                    "Invalid request parameter - must not be blank :request.clientId"
                ),
                (
                    TestEnvironment.updateParams(clientId).with("clientName", " "), "PMS_COR_001",
                    "Invalid request parameter - must not be blank :request.clientName"
                ),
                (
                    TestEnvironment.updateParams(clientId).with("logoUri", "rp.example.org"), "PMS_COR_001",
                    "Invalid request parameter - must be a valid URL :request.logoUri"
                ),
                (
                    TestEnvironment.updateParams(clientId, status: "DELETED"), "PMS_COR_001",
                    "Invalid request parameter - must be one of ACTIVE, INACTIVE :request.status"
                ),
                (
                    TestEnvironment.updateParams(clientId).with("status", nil), "PMS_COR_001",
                    "Invalid request parameter - must not be blank :request.status"
                ),
                (
                    TestEnvironment.updateParams(clientId).with("redirectUris", ["not a uri"]), "invalid_redirect_uri",
                    "invalid_redirect_uri"
                ),
                (
                    TestEnvironment.updateParams(clientId).with("clientAuthMethods", ["none"]), "invalid_client_auth",
                    "invalid_client_auth"
                ),
                (
                    TestEnvironment.updateParams(clientId).with("clientNameLangMap", ["zz": "x"]),
                    "invalid_language_code",
                    "invalid_language_code"
                ),
            ]
            for (params, code, message) in cases {
                let error = await gatewayError { _ = try await env.registry.update(params, context: env.context) }
                #expect(error?.errorCode == code)
                #expect(error?.message == message)
            }
            #expect(try env.journal(entityId: clientId).count == 1)
        }
    }

    /// An update identical to the stored state is still journalled and re-sent, as PMS would.
    @Test func identicalUpdateStillJournals() async throws {
        try await TestEnvironment.with { env throws in
            let clientId = try await env.create(TestEnvironment.createParams(TestKeys.p256[39]))
            let params = TestEnvironment.updateParams(clientId)
            _ = try await env.registry.update(params, context: env.context)
            _ = try await env.registry.update(params, context: env.context)
            #expect(
                try env.journal(entityId: clientId).map(\.method) == [
                    "client.create", "client.update", "client.update",
                ])
            #expect(try env.outboxBodies(orderingKey: clientId).count == 6)
        }
    }
}
