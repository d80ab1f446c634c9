import GatewayJSON
import GatewayStore
import Testing

@testable import GatewayServices

@Suite struct LicenseListTests {
    @Test func listShowsOnlyTheKeyHint() async throws {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        try await fixture.addPartner("misp-2")
        let key1 = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        let key2 = try #require(try await fixture.generate("misp-2")["licenseKey"]?.stringValue)

        let result = try fixture.service.list(JSONObject())
        let entries = try #require(result["licenses"]?.arrayValue)
        #expect(entries.count == 2)
        let first = try #require(entries.first?.objectValue)
        #expect(first.keys == ["providerId", "licenseKeyStatus", "licenseKeyExpiry", "policyId", "keyHint"])
        #expect(first["providerId"] == "misp-1")
        #expect(first["keyHint"] == .string(String(key1.suffix(4))))
        #expect(first["policyId"] == "policy-misp-1")
        #expect(entries[1]["policyId"] == .null)
        #expect(entries[1]["keyHint"] == .string(String(key2.suffix(4))))

        let text = result.serialized()
        #expect(!text.contains(key1) && !text.contains(key2))
        #expect(!text.contains(String(key1.suffix(5))))
    }

    @Test func emptyListIsAnEmptyArray() throws {
        let fixture = try LicenseFixture()
        #expect(try fixture.service.list(JSONObject()) == ["licenses": []])
    }
}
