import GatewayJSON
import GatewayStore
import Testing

@testable import GatewayServices

@Suite struct LicenseGenerateTests {
    @Test func generateIssuesAnActiveKeyWithPMSShape() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let result = try await fixture.generate("misp-1")
        #expect(result.keys == ["providerId", "licenseKey", "licenseKeyStatus", "licenseKeyExpiry"])
        #expect(result["providerId"] == "misp-1")
        #expect(result["licenseKeyStatus"] == "Active")
        let key = try #require(result["licenseKey"]?.stringValue)
        let row = try #require(try fixture.rows("SELECT * FROM licenses WHERE misp_id = 'misp-1'").first)
        #expect(try row.string("license_key") == key)
        #expect(try row.string("status") == "active")
        #expect(try row.optionalString("policy_id") == "policy-misp-1")
        #expect(try row.string("expires_at") == result["licenseKeyExpiry"]?.stringValue)
    }

    @Test func missingOrBlankMispIdIsPMSCOR001() async throws {
        let fixture = try LicenseFixture()
        await expectLicenseError("PMS_COR_001", .invalidParams) {
            _ = try await fixture.service.generate(JSONObject(), context: fixture.context)
        }
        do {
            _ = try await fixture.service.generate(licenseParams(["mispId": "  "]), context: fixture.context)
            Issue.record("blank mispId accepted")
        } catch let error as GatewayError {
            #expect(error.message == "Invalid request parameter - must not be blank :request.mispId")
        }
    }

    // MARK: Each PMS check, in the spec's order

    @Test func existingLicenseOfAnyStateIs416() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        _ = try await fixture.generate("misp-1")
        await expectLicenseError("PMS_MSP_416", .conflict) { _ = try await fixture.generate("misp-1") }
        try await fixture.sql("UPDATE licenses SET status = 'de-active'")
        // 416 comes first: even an inactive partner with a license gets it.
        try await fixture.sql("UPDATE partners SET status = 'INACTIVE'")
        await expectLicenseError("PMS_MSP_416", .conflict) { _ = try await fixture.generate("misp-1") }
    }

    @Test func unknownPartnerIs005() async throws {
        let fixture = try LicenseFixture()
        await expectLicenseError("PMS_MSP_005", .notFound) { _ = try await fixture.generate("nobody") }
    }

    @Test func nonMISPPartnerIs009EvenWhenInactive() async throws {
        let fixture = try LicenseFixture()
        try await fixture.addPartner("auth-1", type: "Auth_Partner", status: "INACTIVE")
        await expectLicenseError("PMS_MSP_009", .refused) { _ = try await fixture.generate("auth-1") }
    }

    @Test(arguments: ["misp_partner", "MISP_PARTNER", "Misp_Partner"])
    func partnerTypeIsComparedCaseInsensitively(type: String) async throws {
        let fixture = try LicenseFixture()
        try await fixture.addPartner("misp-1", type: type)
        let result = try await fixture.generate("misp-1")
        #expect(result["providerId"] == "misp-1")
        #expect(result["licenseKeyStatus"] == "Active")
        #expect(try fixture.count("licenses") == 1)
        // Any other type, however spelled, is still not a MISP.
        try await fixture.addPartner("misp-2", type: type + "_x")
        await expectLicenseError("PMS_MSP_009", .refused) { _ = try await fixture.generate("misp-2") }
    }

    @Test func inactiveMISPPartnerIs405() async throws {
        let fixture = try LicenseFixture()
        try await fixture.addPartner("misp-1", status: "INACTIVE")
        try await fixture.addPolicy("p1")
        try await fixture.map("misp-1", "p1", status: "InProgress")
        await expectLicenseError("PMS_MSP_405", .refused) { _ = try await fixture.generate("misp-1") }
    }

    @Test func anyUnapprovedMappingIs418() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        try await fixture.addPolicy("p2")
        try await fixture.map("misp-1", "p2", status: "InProgress")
        await expectLicenseError("PMS_MSP_418", .refused) { _ = try await fixture.generate("misp-1") }
    }

    @Test func unapprovedMappingComesBeforeMissingPolicy() async throws {
        let fixture = try LicenseFixture()
        try await fixture.addPartner("misp-1")
        try fixture.rawSQL(
            """
            INSERT INTO partner_policies (partner_id, policy_id, status, created_at, updated_at)
            VALUES ('misp-1', 'ghost', 'rejected', 'x', 'x');
            """)
        await expectLicenseError("PMS_MSP_418", .refused) { _ = try await fixture.generate("misp-1") }
    }

    @Test func earliestMappingsMissingPolicyIs419() async throws {
        let fixture = try LicenseFixture()
        try await fixture.addPartner("misp-1")
        try await fixture.addPolicy("p-late")
        try fixture.rawSQL(
            """
            INSERT INTO partner_policies (partner_id, policy_id, status, created_at, updated_at)
            VALUES ('misp-1', 'ghost', 'Approved', 'x', 'x');
            """)
        try await fixture.map("misp-1", "p-late")
        await expectLicenseError("PMS_MSP_419", .refused) { _ = try await fixture.generate("misp-1") }
    }

    @Test func failedChecksWriteNothing() async throws {
        let fixture = try LicenseFixture()
        try await fixture.addPartner("misp-1", status: "INACTIVE")
        let journalBefore = try fixture.count("journal")
        await expectLicenseError("PMS_MSP_405", .refused) { _ = try await fixture.generate("misp-1") }
        #expect(try fixture.count("licenses") == 0)
        #expect(try fixture.count("journal") == journalBefore)
        #expect(try fixture.count("outbox") == 0)
    }

    // MARK: Policy choice

    @Test func earliestApprovedMappingNamesThePolicy() async throws {
        let fixture = try LicenseFixture()
        try await fixture.addPartner("misp-1")
        try await fixture.addPolicy("p-b")
        try await fixture.addPolicy("p-a")
        try await fixture.map("misp-1", "p-b", status: "APPROVED")
        try await fixture.map("misp-1", "p-a")
        _ = try await fixture.generate("misp-1")
        #expect(try fixture.rows("SELECT policy_id FROM licenses")[0].optionalString("policy_id") == "p-b")
    }

    @Test func partnerWithoutMappingsGetsNoPolicy() async throws {
        let fixture = try LicenseFixture()
        try await fixture.addPartner("misp-1")
        _ = try await fixture.generate("misp-1")
        #expect(try fixture.rows("SELECT policy_id FROM licenses")[0].optionalString("policy_id") == nil)
    }

    // MARK: Keys

    @Test func keysHaveTheConfiguredLengthAlphabetAndAreUnique() async throws {
        let fixture = try LicenseFixture()
        var keys: Set<String> = []
        for index in 0..<40 {
            try await fixture.addPartner("misp-\(index)")
            let key = try #require(try await fixture.generate("misp-\(index)")["licenseKey"]?.stringValue)
            #expect(key.count == 50)
            #expect(key.allSatisfy { licenseAlphabet.contains($0) })
            keys.insert(key)
        }
        #expect(keys.count == 40)
        // 2000 characters drawn from 62: every class of character shows up.
        let all = keys.joined()
        #expect(all.contains { $0.isNumber } && all.contains { $0.isLowercase } && all.contains { $0.isUppercase })
    }

    @Test func shortKeysStillNeverCollide() async throws {
        // 30 one-character keys out of 62: without the retry a collision is all but certain.
        let fixture = try LicenseFixture(rules: LicenseRules(length: 1, validityDays: 90))
        var keys: Set<String> = []
        for index in 0..<30 {
            try await fixture.addPartner("misp-\(index)")
            keys.insert(try #require(try await fixture.generate("misp-\(index)")["licenseKey"]?.stringValue))
        }
        #expect(keys.count == 30)
    }

    @Test(arguments: [1, 90, 365])
    func expiryIsNowPlusValidityDays(days: Int) async throws {
        let fixture = try LicenseFixture(rules: LicenseRules(length: 50, validityDays: days))
        try await fixture.addPartner("misp-1")
        let before = UTCTimestamp.nowMilliseconds()
        let result = try await fixture.generate("misp-1")
        let after = UTCTimestamp.nowMilliseconds()
        let row = try fixture.rows("SELECT * FROM licenses")[0]
        let expiresAt = Int64(try row.int("expires_at_ms"))
        let span = Int64(days) * 86_400_000
        #expect(expiresAt >= before + span && expiresAt <= after + span)
        #expect(result["licenseKeyExpiry"]?.stringValue == UTCTimestamp.format(epochMilliseconds: expiresAt))
        // Issued and expiring at the same time of day, to the millisecond.
        let issued = try row.string("issued_at")
        #expect(issued.suffix(13) == UTCTimestamp.format(epochMilliseconds: expiresAt).suffix(13))
        #expect(isLicenseTimestamp(try #require(result["licenseKeyExpiry"]?.stringValue)))
    }
}
