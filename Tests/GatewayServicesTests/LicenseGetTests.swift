import GatewayJSON
import GatewayStore
import Testing

@testable import GatewayServices

@Suite struct LicenseGetTests {
    func get(_ fixture: LicenseFixture, _ mispId: String) async throws -> JSONObject {
        try #require(
            await fixture.service.get(licenseParams(["mispId": .string(mispId)]), context: fixture.context).objectValue)
    }

    /// Moves the license's expiry into the past, as time passing would.
    func expire(_ fixture: LicenseFixture, _ mispId: String) async throws {
        let past = UTCTimestamp.nowMilliseconds() - 1000
        try await fixture.sql(
            "UPDATE licenses SET expires_at_ms = ?, expires_at = ? WHERE misp_id = ?",
            [.integer(past), .text(UTCTimestamp.format(epochMilliseconds: past)), .text(mispId)])
    }

    @Test func checksInOrder() async throws {
        let fixture = try LicenseFixture()
        await expectLicenseError("PMS_MSP_005", .notFound) { _ = try await get(fixture, "nobody") }

        try await fixture.addMISP("misp-1")
        await expectLicenseError("PMS_MSP_408", .notFound) { _ = try await get(fixture, "misp-1") }

        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        _ = try await fixture.service.update(
            licenseParams(["providerId": "misp-1", "licenseKey": .string(key), "licenseKeyStatus": "De-active"]),
            context: fixture.context)
        await expectLicenseError("PMS_MSP_413", .refused) { _ = try await get(fixture, "misp-1") }

        // An inactive partner is reported before anything about its license.
        try await fixture.sql("UPDATE partners SET status = 'INACTIVE' WHERE partner_id = 'misp-1'")
        await expectLicenseError("PMS_MSP_405", .refused) { _ = try await get(fixture, "misp-1") }
    }

    @Test func deactivatedExpiredLicenseIsRefusedNotReplaced() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        try await fixture.sql("UPDATE licenses SET status = 'de-active'")
        try await expire(fixture, "misp-1")
        await expectLicenseError("PMS_MSP_413", .refused) { _ = try await get(fixture, "misp-1") }
        #expect(try fixture.rows("SELECT license_key FROM licenses")[0].string("license_key") == key)
    }

    @Test func liveKeyIsReturnedAndNothingIsWritten() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let issued = try await fixture.generate("misp-1")
        let journal = try fixture.count("journal")
        let result = try await get(fixture, "misp-1")
        #expect(result == issued)
        #expect(result["licenseKeyStatus"] == "Active")
        #expect(try fixture.count("journal") == journal)
        #expect(try fixture.count("outbox") == 1)
    }

    @Test func expiredActiveKeyIsReplaced() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let old = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        let created = try fixture.rows("SELECT created_at FROM licenses")[0].string("created_at")
        try await expire(fixture, "misp-1")

        let before = UTCTimestamp.nowMilliseconds()
        let result = try await get(fixture, "misp-1")
        let fresh = try #require(result["licenseKey"]?.stringValue)
        #expect(fresh != old && fresh.count == 50)
        #expect(result["licenseKeyStatus"] == "Active")

        let row = try fixture.rows("SELECT * FROM licenses")[0]
        #expect(try row.string("license_key") == fresh)
        #expect(try row.string("created_at") == created)
        #expect(Int64(try row.int("expires_at_ms")) >= before + 90 * 86_400_000)
        #expect(try row.string("expires_at") == result["licenseKeyExpiry"]?.stringValue)

        let event = try fixture.rows("SELECT topic, body FROM outbox ORDER BY seq DESC LIMIT 1")[0]
        #expect(try event.string("topic") == "MISP_LICENSE_UPDATED")
        let body = try JSONValue.parse(try event.string("body"))
        #expect(body["mispLicenseData"]?["licenseKey"] == .string(fresh))
        let journal = try fixture.rows("SELECT method FROM journal ORDER BY seq DESC LIMIT 1")[0]
        #expect(try journal.string("method") == "license.get")

        // The old key is gone for IDA too.
        let check = try fixture.service.validate(licenseParams(["licenseKey": .string(old)]))
        #expect(check["errorCode"] == "IDA-MPA-007")
    }

    @Test func concurrentGetsReplaceAnExpiredKeyOnce() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        _ = try await fixture.generate("misp-1")
        try await expire(fixture, "misp-1")
        let journal = try fixture.count("journal")
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { try #require(try await get(fixture, "misp-1")["licenseKey"]?.stringValue) }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys.count == 1)
        #expect(try fixture.count("journal") == journal + 1)
    }
}
