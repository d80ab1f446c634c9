import GatewayJSON
import GatewayStore
import Testing

@testable import GatewayServices

/// SPEC 5: each license mutation queues MOSIP's EventModel for IDA in its own transaction.
@Suite struct LicenseOutboxTests {
    @Test func generatedEventHasTheEventModelShape() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let issued = try await fixture.generate("misp-1")
        let rows = try fixture.rows("SELECT * FROM outbox")
        #expect(rows.count == 1)
        let row = rows[0]
        #expect(try row.string("target") == "ida")
        #expect(try row.string("topic") == "MISP_LICENSE_GENERATED")
        #expect(try row.string("ordering_key") == "misp-1")
        #expect(try row.string("status") == "pending")

        let body = try JSONValue.parse(try row.string("body"))
        #expect(body.objectValue?.keys == ["publisher", "topic", "publishedOn", "event"])
        #expect(body["topic"] == "MISP_LICENSE_GENERATED")
        #expect(isLicenseTimestamp(try #require(body["publishedOn"]?.stringValue)))
        let event = try #require(body["event"]?.objectValue)
        #expect(event.keys == ["id", "transactionId", "type", "timestamp", "data"])
        #expect(isUUID(try #require(event["id"]?.stringValue)))
        #expect(isUUID(try #require(event["transactionId"]?.stringValue)))
        #expect(event["id"] != event["transactionId"])
        #expect(event["type"]?["name"] == "PartnerManagementServiceImpl")
        #expect(event["type"]?["namespace"]?.stringValue?.isEmpty == false)
        #expect(isLicenseTimestamp(try #require(event["timestamp"]?.stringValue)))

        let license = try #require(event["data"]?["mispLicenseData"]?.objectValue)
        #expect(license.keys == ["mispId", "licenseKey", "mispCommenceOn", "mispExpiresOn", "mispStatus"])
        #expect(license["mispId"] == "misp-1")
        #expect(license["licenseKey"] == issued["licenseKey"])
        #expect(license["mispExpiresOn"] == issued["licenseKeyExpiry"])
        #expect(isLicenseTimestamp(try #require(license["mispCommenceOn"]?.stringValue)))
        #expect(license["mispStatus"] == "ACTIVE")

        let policy = try #require(event["data"]?["policyData"]?.objectValue)
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
        #expect(body["event"]?["data"]?["policyData"] == nil)
        #expect(body["event"]?["data"]?["mispLicenseData"] != nil)
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
