import GatewayCrypto
import GatewayJSON
import GatewayStore
import Testing

@testable import GatewayServices

/// SPEC 6: every license mutation is journalled, and the key appears only as its hash.
@Suite struct LicenseJournalTests {
    /// Generates, de-activates, re-activates, expires and replaces, exports: every kind of entry.
    func exerciseEverything(_ fixture: LicenseFixture) async throws -> [String] {
        try await fixture.addMISP("misp-1")
        let first = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        for status in ["De-active", "Active"] {
            _ = try await fixture.service.update(
                licenseParams([
                    "providerId": "misp-1", "licenseKey": .string(first), "licenseKeyStatus": .string(status),
                ]),
                context: fixture.context)
        }
        try await fixture.sql("UPDATE licenses SET expires_at_ms = 0")
        let second = try #require(
            try await fixture.service.get(licenseParams(["mispId": "misp-1"]), context: fixture.context)["licenseKey"]?
                .stringValue)
        _ = try await fixture.service.exportProperties(licenseParams(["mispId": "misp-1"]), context: fixture.context)
        return [first, second]
    }

    @Test func journalNeverContainsAKey() async throws {
        let fixture = try LicenseFixture()
        let keys = try await exerciseEverything(fixture)
        let text = try fixture.journalText()
        #expect(!text.isEmpty)
        for key in keys {
            #expect(!text.contains(key))
            #expect(!text.contains(String(key.prefix(12))) && !text.contains(String(key.suffix(12))))
        }
    }

    @Test func entriesRecordMethodEntityPeerAndKeyHash() async throws {
        let fixture = try LicenseFixture()
        let keys = try await exerciseEverything(fixture)
        let rows = try fixture.rows("SELECT * FROM journal WHERE entity_type = 'license' ORDER BY seq")
        #expect(
            try rows.map { try $0.string("method") } == [
                "license.generate", "license.update", "license.update", "license.get", "license.exportProperties",
            ])
        for row in rows {
            #expect(try row.string("entity_id") == "misp-1")
            #expect(try row.int("peer_uid") == 1000 && row.int("peer_gid") == 1001 && row.int("peer_pid") == 4242)
            #expect(try row.optionalString("request_id") == "7")
        }
        let generated = try JSONValue.parse(try rows[0].string("change"))
        #expect(generated["licenseKey"] == .string(SHA256Digest.hex(Array("\"\(keys[0])\"".utf8))))
        #expect(generated["providerId"] == "misp-1" && generated["licenseKeyStatus"] == "active")
        // `license.get` replaced the expired key: the new key, hashed, is what the entry records.
        let replaced = try JSONValue.parse(try rows[3].string("change"))
        #expect(replaced["licenseKey"] == .string(SHA256Digest.hex(Array("\"\(keys[1])\"".utf8))))
        let exported = try JSONValue.parse(try rows[4].string("change"))
        #expect(
            exported == [
                "changed": true, "path": .string(fixture.propertiesPath), "property": "mosip.esignet.misp.license.key",
                "properties": ["mosip.esignet.misp.license.key"],
            ])
    }

    @Test func chainStillVerifies() async throws {
        let fixture = try LicenseFixture()
        _ = try await exerciseEverything(fixture)
        let verification = try fixture.store.read { connection in try connection.journalVerify() }
        #expect(verification.ok)
    }

    @Test func logsNeverContainAKey() async throws {
        let fixture = try LicenseFixture()
        let keys = try await exerciseEverything(fixture)
        _ = try fixture.service.validate(licenseParams(["licenseKey": .string(keys[1])]))
        _ = try fixture.service.list(JSONObject())
        let logs = fixture.logs.text
        #expect(logs.contains("license generated"))
        for key in keys { #expect(!logs.contains(key)) }
    }
}
