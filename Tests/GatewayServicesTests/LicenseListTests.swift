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
        #expect(try fixture.service.list(JSONObject()) == ["licenses": [], "nextCursor": nil])
    }

    /// Paged like `client.list`: a cursor per page, never a skipped or repeated license.
    @Test func pagesByCursor() async throws {
        let fixture = try LicenseFixture()
        for index in 1...5 {
            try await fixture.addMISP("misp-\(index)")
            _ = try await fixture.generate("misp-\(index)")
        }
        var seen: [String] = []
        var cursor: JSONValue = .null
        var pages = 0
        repeat {
            let page = try fixture.service.list(["limit": 2, "cursor": cursor])
            seen += try #require(page["licenses"]?.arrayValue).compactMap { $0["providerId"]?.stringValue }
            cursor = try #require(page["nextCursor"])
            pages += 1
        } while cursor != .null && pages < 10
        #expect(seen == (1...5).map { "misp-\($0)" })
        #expect(pages == 3)
        let bad = caughtError { _ = try fixture.service.list(["cursor": "x"]) }
        #expect(bad?.errorCode == "PMS_COR_001")
        #expect(caughtError { _ = try fixture.service.list(["limit": 501]) }?.errorCode == "PMS_COR_001")
    }
}
