import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// SPEC 7.4: IDA stores a policy's description and dates as NOT NULL, so no event carries null
/// for them: `policy.put` requires them for Auth and MISP policies, and a migration fills them in
/// for policies a previous release stored without.
@Suite(.tags(.process)) struct PolicyEventFieldTests {
    @Test(arguments: ["Auth", "MISP"])
    func authAndMISPPoliciesNeedADescriptionAndDates(type: String) throws {
        let client = try TestDaemon().client()
        var policy = try #require(Fixtures.policy("pol-1", type: type).objectValue)
        for field in ["description", "validFrom", "validTo"] {
            var without = policy
            without[field] = nil
            let error = try #require(try client.request("policy.put", .object(without))["error"])
            #expect(error["code"] == -32602)
            #expect(
                error["data"]?["message"] == .string("Invalid request parameter - must not be blank :request.\(field)"))
        }
        // Fields are reported in the method's order: description comes before the dates.
        policy["description"] = nil
        policy["validTo"] = nil
        #expect(
            try client.request("policy.put", .object(policy))["error"]?["data"]?["message"]
                == "Invalid request parameter - must not be blank :request.description")
        #expect(try client.call("journal.verify")["entries"] == 0)
        // Another policy type never reaches IDA and keeps them optional.
        let other: JSONValue = [
            "policyId": "ds-1", "policyType": "DataShare", "name": "Data share", "status": "ACTIVE", "policy": [:],
        ]
        #expect(try client.call("policy.put", other)["policyId"] == "ds-1")
    }

    /// `Tests/Fixtures/release-0.1.0-policies.sqlite3` was written by the release before this rule:
    /// an Auth and a MISP policy without description or dates, one Auth policy with them, the MISP
    /// partner's license. Opened now, the migration fills the gaps and events carry them.
    @Test func aDatabaseFromThePreviousReleaseIsMigratedAndItsEventsCarryNoNulls() throws {
        let directory = try TemporaryDirectory(prefix: "gateway-migration-test")
        let database = directory.file("gw.sqlite3")
        try FileManager.default.copyItem(atPath: TestPaths.fixture("release-0.1.0-policies.sqlite3"), toPath: database)
        let daemon = try TestDaemon(directory: directory)
        let client = try daemon.client()

        let old = try client.call("policy.get", ["policyId": "auth-old"])
        #expect(old["description"] == "Old auth policy", "the name stands in for a missing description")
        let from = try #require(old["validFrom"]?.stringValue)
        #expect(from.hasPrefix("2026-11-26T"), "the time of the first put")
        #expect(old["validTo"]?.stringValue == "2126" + from.dropFirst(4), "100 years later")
        let full = try client.call("policy.get", ["policyId": "auth-full"])
        #expect(full["description"] == "kept" && full["validTo"] == "2027-01-01T00:00:00.000Z")
        #expect(try client.call("policy.get", ["policyId": "misp-old"])["description"] == "Old MISP policy")
        #expect(try client.call("journal.verify")["ok"] == true)

        // New events about the old policies carry the filled-in fields.
        _ = try client.call("partner.mapPolicy", ["partnerId": "rp-1", "policyId": "auth-old", "status": "approved"])
        var create = try #require(ClientFlowTests.create(key: FakeKeys.rsa(1)).objectValue)
        create["authPartnerId"] = "rp-1"
        create["policyId"] = "auth-old"
        _ = try client.call("client.create", .object(create))
        let key = try #require(try client.call("license.get", ["mispId": "esignet"])["licenseKey"])
        let update: JSONValue = ["providerId": "esignet", "licenseKey": key, "licenseKeyStatus": "De-active"]
        _ = try client.call("license.update", update)
        let payloads = try SQLiteFile(database).column(
            "SELECT body FROM outbox WHERE target = 'ida' AND seq > 1 ORDER BY seq")
        #expect(payloads.count == 2)
        for text in payloads {
            let policyData = try #require(try JSONValue.parse(text)["policyData"]?.objectValue, "\(text)")
            for field in ["policyDescription", "policyCommenceOn", "policyExpiresOn"] {
                #expect(policyData[field]?.stringValue?.isEmpty == false, "\(field) in \(text)")
            }
        }
    }
}
