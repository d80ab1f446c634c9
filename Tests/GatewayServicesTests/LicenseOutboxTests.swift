import GatewayJSON
import GatewayStore
import Testing

@testable import GatewayServices

/// SPEC 5: each license mutation queues IDA's event data in its own transaction (delivery wraps
/// it in MOSIP's EventModel: `RequestShapeTests` in the delivery tests).
@Suite struct LicenseOutboxTests {
    @Test func generatedEventCarriesTheLicenseAndItsPolicy() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let issued = try await fixture.generate("misp-1")
        let rows = try fixture.rows("SELECT * FROM outbox")
        #expect(rows.count == 1)
        let row = rows[0]
        #expect(try row.string("target") == "ida")
        #expect(try row.string("topic") == "MISP_LICENSE_GENERATED")
        #expect(try row.string("ordering_key") == "misp-1")
        #expect(try row.string("status") == "pending")

        #expect(isUUID(try row.string("message_id")))
        #expect(isLicenseTimestamp(try row.string("created_at")))
        let body = try JSONValue.parse(try row.string("body"))
        #expect(body.objectValue?.keys == ["mispLicenseData", "policyData"])

        let license = try #require(body["mispLicenseData"]?.objectValue)
        #expect(license.keys == ["mispId", "licenseKey", "mispCommenceOn", "mispExpiresOn", "mispStatus"])
        #expect(license["mispId"] == "misp-1")
        #expect(license["licenseKey"] == issued["licenseKey"])
        #expect(license["mispExpiresOn"] == issued["licenseKeyExpiry"])
        #expect(isLicenseTimestamp(try #require(license["mispCommenceOn"]?.stringValue)))
        #expect(license["mispStatus"] == "ACTIVE")

        let policy = try #require(body["policyData"]?.objectValue)
        #expect(policy["policyId"] == "policy-misp-1")
        #expect(policy["policy"] == (try LicenseFixture.sampleMISPPolicy()))
        #expect(policy["policyStatus"] == "ACTIVE")
        #expect(policy["policyCommenceOn"] == "2026-01-01T00:00:00.000Z")
    }

    @Test func eventWithoutPolicyHasNoPolicyData() async throws {
        let fixture = try LicenseFixture()
        try await fixture.addPartner("misp-1")
        _ = try await fixture.generate("misp-1")
        let body = try JSONValue.parse(try fixture.rows("SELECT body FROM outbox")[0].string("body"))
        #expect(body["policyData"] == nil)
        #expect(body["mispLicenseData"] != nil)
    }

    @Test func failedMutationQueuesNothing() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        _ = try await fixture.generate("misp-1")
        await expectLicenseError("PMS_MSP_416", .conflict) { _ = try await fixture.generate("misp-1") }
        await expectLicenseError("PMS_MSP_408", .notFound) {
            _ = try await fixture.service.update(
                licenseParams(["providerId": "misp-1", "licenseKey": "nope", "licenseKeyStatus": "Active"]),
                context: fixture.context)
        }
        #expect(try fixture.count("outbox") == 1)
    }

    func isUUID(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12] && parts[2].first == "4"
            && text.allSatisfy { $0 == "-" || $0.isHexDigit && !$0.isUppercase }
    }
}
