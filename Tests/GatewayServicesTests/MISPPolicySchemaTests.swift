import GatewayJSON
import GatewayServices
import GatewayTestSupport
import Testing

@Suite struct MISPPolicySchemaTests {
    /// The compiled-in schema is MOSIP's file, so the two cannot drift apart unnoticed.
    @Test func compiledSchemaEqualsTheConfigFile() throws {
        let file = try FileContents.read("\(TestPaths.configDirectory)/misp-policy-schema.json")
        #expect(try JSONValue.parse(file) == JSONValue.parse(MISPPolicySchema.text))
    }
}
