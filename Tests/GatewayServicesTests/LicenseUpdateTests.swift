import GatewayJSON
import GatewayStore
import Testing

@testable import GatewayServices

@Suite struct LicenseUpdateTests {
    func update(_ fixture: LicenseFixture, _ mispId: String, _ key: String, _ status: String) async throws -> JSONObject
    {
        let params = licenseParams([
            "providerId": .string(mispId), "licenseKey": .string(key), "licenseKeyStatus": .string(status),
        ])
        return try #require(await fixture.service.update(params, context: fixture.context).objectValue)
    }

    @Test func fieldsAreCheckedInOrder() async throws {
        let fixture = try LicenseFixture()
        let cases: [(JSONObject, String)] = [
            (licenseParams(["licenseKey": "k", "licenseKeyStatus": "x"]), "providerId"),
            (licenseParams(["providerId": "m", "licenseKeyStatus": "x"]), "licenseKey"),
            (licenseParams(["providerId": "m", "licenseKey": "k"]), "licenseKeyStatus"),
        ]
        for (params, field) in cases {
            do {
                _ = try await fixture.service.update(params, context: fixture.context)
                Issue.record("accepted without \(field)")
            } catch let error as GatewayError {
                #expect(error.errorCode == "PMS_COR_001")
                #expect(error.message == "Invalid request parameter - must not be blank :request.\(field)")
            }
        }
    }

    @Test func statusOtherThanActiveOrDeactiveIs407BeforeThePairIsLookedUp() async throws {
        let fixture = try LicenseFixture()
        for status in ["Inactive", "ACTIVATED", "de active", "deactive"] {
            await expectLicenseError("PMS_MSP_407", .invalidParams) {
                _ = try await update(fixture, "nobody", "no-key", status)
            }
        }
    }

    @Test func unknownPairIs408() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        try await fixture.addMISP("misp-2")
        let key1 = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        _ = try await fixture.generate("misp-2")
        await expectLicenseError("PMS_MSP_408", .notFound) {
            _ = try await update(fixture, "misp-2", key1, "De-active")
        }
        await expectLicenseError("PMS_MSP_408", .notFound) { _ = try await update(fixture, "nobody", key1, "Active") }
        await expectLicenseError("PMS_MSP_408", .notFound) {
            _ = try await update(fixture, "misp-1", "wrong", "Active")
        }
    }

    @Test func statusIsCaseInsensitiveAndAnsweredLowerCase() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let issued = try await fixture.generate("misp-1")
        let key = try #require(issued["licenseKey"]?.stringValue)

        let off = try await update(fixture, "misp-1", key, "DE-ACTIVE")
        #expect(off.keys == ["providerId", "licenseKey", "licenseKeyStatus", "licenseKeyExpiry"])
        #expect(off["licenseKeyStatus"] == "de-active")
        #expect(off["licenseKeyExpiry"] == issued["licenseKeyExpiry"])
        #expect(try fixture.rows("SELECT status FROM licenses")[0].string("status") == "de-active")

        let on = try await update(fixture, "misp-1", key, "active")
        #expect(on["licenseKeyStatus"] == "active")
        #expect(try fixture.rows("SELECT status FROM licenses")[0].string("status") == "active")
    }

    @Test func eachStatusChangeIsJournalledWithAnUpdatedEvent() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        _ = try await update(fixture, "misp-1", key, "De-active")
        let events = try fixture.rows("SELECT topic, body FROM outbox ORDER BY seq")
        #expect(try events.map { try $0.string("topic") } == ["MISP_LICENSE_GENERATED", "MISP_LICENSE_UPDATED"])
        let body = try JSONValue.parse(try events[1].string("body"))
        #expect(body["mispLicenseData"]?["mispStatus"] == "NOT_ACTIVE")
        let journal = try fixture.rows("SELECT method FROM journal WHERE entity_type = 'license' ORDER BY seq")
        #expect(try journal.map { try $0.string("method") } == ["license.generate", "license.update"])
    }

    @Test func settingTheCurrentStatusChangesNothing() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        let journal = try fixture.count("journal")
        let result = try await update(fixture, "misp-1", key, "Active")
        #expect(result["licenseKeyStatus"] == "active")
        #expect(try fixture.count("journal") == journal)
        #expect(try fixture.count("outbox") == 1)
    }

    @Test func errorMessagesNeverCarryTheKey() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        for (mispId, status) in [("misp-2", "Active"), ("misp-1", "bogus")] {
            do {
                _ = try await update(fixture, mispId, key, status)
            } catch let error as GatewayError {
                #expect(!error.message.contains(key) && !error.description.contains(key))
            }
        }
    }
}
