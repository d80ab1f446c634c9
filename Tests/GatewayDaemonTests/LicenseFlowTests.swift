import Foundation
import GatewayJSON
import Testing

/// eSignet's MISP onboarding through the socket: license, IDA's check, the properties file.
@Suite(.tags(.process)) struct LicenseFlowTests {
    static func seed(_ client: RPCClient) throws {
        _ = try client.call("partner.put", Fixtures.partner("esignet", type: "MISP_Partner"))
        _ = try client.call("policy.put", Fixtures.policy("misp-1", type: "MISP"))
        _ = try client.call("partner.mapPolicy", ["partnerId": "esignet", "policyId": "misp-1", "status": "approved"])
    }

    @Test func generateValidateExportAndNeverLeakTheKey() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try Self.seed(client)
        #expect(try client.call("system.health")["licenseExpiresInDays"] == .null)
        let generated = try client.call("license.generate", ["mispId": "esignet"])
        let key = try #require(generated["licenseKey"]?.stringValue)
        #expect(try client.call("system.health")["licenseExpiresInDays"] == 90)
        #expect(generated["exported"] == true, "esignet.autoExportLicense is on by default")
        let preflight = try client.call("system.preflight")
        #expect(preflight["checks"]?.arrayValue?.count == 8)
        #expect(preflight["checks"]?.arrayValue?.first { $0["name"] == "licenseExported" }?["ok"] == true)
        #expect(!preflight.serialized().contains(key))
        #expect(key.count == 50)
        #expect(generated["licenseKeyStatus"] == "Active")
        #expect(try client.errorCode("license.generate", ["mispId": "esignet"]) == "PMS_MSP_416")

        let valid = try client.call("license.validate", ["licenseKey": .string(key)])
        #expect(valid["valid"] == true)
        #expect(valid["mispId"] == "esignet")
        #expect(valid["policy"]?["allowKycRequestDelegation"] == true)
        let unknown = try client.call("license.validate", ["licenseKey": "nope"])
        #expect(unknown["valid"] == false)
        #expect(unknown["errorCode"] == "IDA-MPA-007")

        let propertiesPath = "\(daemon.directory)/esignet-default.properties"
        try "# eSignet\nmosip.esignet.host=esignet.example.org\n".write(
            toFile: propertiesPath, atomically: true, encoding: .utf8)
        let exported = try client.call("license.exportProperties", ["mispId": "esignet"])
        #expect(exported["changed"] == true)
        let text = try String(contentsOfFile: propertiesPath, encoding: .utf8)
        #expect(text == "# eSignet\nmosip.esignet.host=esignet.example.org\nmosip.esignet.misp.license.key=\(key)\n")

        #expect(
            try client.call("license.list")["licenses"]?.arrayValue?.first?["keyHint"]?.stringValue
                == String(key.suffix(4)))
        let journal = try client.call("journal.list", ["limit": 1000]).serialized()
        #expect(!journal.contains(key))
        let listed = try client.call("license.list").serialized()
        #expect(!listed.contains(key))
        #expect(!daemon.stderr().contains(key))
    }
}
