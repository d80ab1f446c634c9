import Foundation
import GatewayJSON
import GatewayServices
import Testing

@Suite struct MISPPolicySchemaTests {
    /// The compiled-in schema is MOSIP's file, so the two cannot drift apart unnoticed.
    @Test func compiledSchemaEqualsTheConfigFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try Data(contentsOf: root.appendingPathComponent("config/misp-policy-schema.json"))
        #expect(try JSONValue.parse(Array(file)) == JSONValue.parse(MISPPolicySchema.text))
    }
}
