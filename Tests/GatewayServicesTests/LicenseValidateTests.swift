import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Testing

@testable import GatewayServices

@Suite struct LicenseValidateTests {
    func validate(_ fixture: LicenseFixture, _ key: String) throws -> JSONObject {
        try #require(try fixture.service.validate(licenseParams(["licenseKey": .string(key)])).objectValue)
    }

    @Test func unknownKeyIsAnAnswerNotAnError() throws {
        let fixture = try LicenseFixture()
        let result = try validate(fixture, "doesNotExist0123456789")
        #expect(result == JSONObject([("valid", false), ("errorCode", "IDA-MPA-007")]))
    }

    @Test func missingKeyParameterIsPMSCOR001() async throws {
        let fixture = try LicenseFixture()
        await expectLicenseError("PMS_COR_001", .invalidParams) { _ = try fixture.service.validate(JSONObject()) }
    }

    @Test func validKeyCarriesTheMISPPolicyFlags() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let issued = try await fixture.generate("misp-1")
        let result = try validate(fixture, try #require(issued["licenseKey"]?.stringValue))
        #expect(result["valid"] == true)
        #expect(result["mispId"] == "misp-1")
        #expect(result["status"] == "active")
        #expect(result["expiresAt"] == issued["licenseKeyExpiry"])
        #expect(result["errorCode"] == nil)
        #expect(result["policy"] == (try LicenseFixture.sampleMISPPolicy()))
    }

    @Test func validKeyWithoutPolicyHasNoPolicyMember() async throws {
        let fixture = try LicenseFixture()
        try await fixture.addPartner("misp-1")
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        let result = try validate(fixture, key)
        #expect(result["valid"] == true && result["policy"] == nil)
    }

    @Test func deactivatedKeyIs017() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        try await fixture.sql("UPDATE licenses SET status = 'de-active'")
        let result = try validate(fixture, key)
        #expect(result["valid"] == false && result["errorCode"] == "IDA-MPA-017")
        #expect(result["policy"] == nil)
    }

    @Test func expiredKeyIs008AndInactiveWinsOverExpired() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        try await fixture.sql("UPDATE licenses SET expires_at_ms = ?", [.integer(UTCTimestamp.nowMilliseconds() - 1)])
        #expect(try validate(fixture, key)["errorCode"] == "IDA-MPA-008")
        try await fixture.sql("UPDATE licenses SET status = 'de-active'")
        #expect(try validate(fixture, key)["errorCode"] == "IDA-MPA-017")
    }

    /// The reader's cache keeps a key's answers until the next commit; a license that expires
    /// meanwhile still gets IDA-MPA-008 on time, with nothing committed in between.
    @Test func aKeyExpiresOnTimeBetweenCommits() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        let expiry = UTCTimestamp.nowMilliseconds() + 1_500
        try await fixture.sql("UPDATE licenses SET expires_at_ms = ?", [.integer(expiry)])
        let commits = fixture.store.statistics.commits
        // Asked twice (read, then cached); an answer that came back before the expiry was asked
        // before it, so it must say valid.
        for _ in 1...2 {
            let answer = try validate(fixture, key)
            if UTCTimestamp.nowMilliseconds() < expiry { #expect(answer["valid"] == true) }
        }
        try Poll.wait(for: "the key to expire", timeout: .seconds(10)) {
            try validate(fixture, key)["errorCode"] == "IDA-MPA-008"
        }
        #expect(UTCTimestamp.nowMilliseconds() >= expiry)
        #expect(try validate(fixture, key)["valid"] == false)
        #expect(fixture.store.statistics.commits == commits)
    }

    @Test func validateNeverWrites() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        try await fixture.sql("UPDATE licenses SET expires_at_ms = 0")
        let journal = try fixture.count("journal")
        _ = try validate(fixture, key)
        #expect(try fixture.count("journal") == journal)
        #expect(try fixture.rows("SELECT license_key FROM licenses")[0].string("license_key") == key)
    }
}
