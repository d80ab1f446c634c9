import GatewayJSON
import GatewayTestSupport
import Testing

@testable import GatewayCLI

/// Tables for people: aligned columns whatever the colour codes, lists as tables, the rest as
/// `name  value` lines.
@Suite struct OutputTests {
    @Test func columnsAlignOnThePlainTextWithOrWithoutColour() {
        let table = Table(
            header: ["ID", "STATUS"],
            rows: [[Table.Cell("a"), Table.Cell("ACTIVE", colour: "32")], [Table.Cell("longer-id"), Table.Cell("-")]])
        let plain = table.render(colour: false)
        #expect(plain == "ID         STATUS\na          ACTIVE\nlonger-id  -")
        let coloured = table.render(colour: true)
        #expect(coloured.contains("\u{1B}[32mACTIVE\u{1B}[0m"))
        #expect(strippingANSIColour(coloured) == plain)
    }

    @Test func aListResultIsATableWithItsCountAndTheNextPageHint() throws {
        let page = try JSONValue.parse(
            #"{"clients":[{"clientId":"c1","name":"One","authPartnerId":"p","policyId":"q","status":"ACTIVE","createdAt":"t","updatedAt":"u","esignet":{"state":"pending"}}],"nextCursor":"abc"}"#
        )
        let text = HumanOutput.render(page, method: "client.list", colour: false)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("CLIENT ID  NAME  AUTH PARTNER ID  POLICY ID  STATUS  ESIGNET STATE  UPDATED AT"))
        #expect(lines[1].hasPrefix("c1         One   p                q          ACTIVE  pending        u"))
        #expect(lines.last == "1 client; more with --cursor abc or --all")
    }

    @Test func otherResultsAreNameValueLinesWithNestedNamesDotted() throws {
        let result = try JSONValue.parse(
            #"{"status":"ok","auth":{"kind":null,"lastError":"x"},"grantTypes":["a","b"],"n":3}"#)
        let text = HumanOutput.render(result, method: "system.health", colour: false)
        #expect(
            text == "status          ok\nauth.kind       -\nauth.lastError  x\ngrantTypes      a, b\nn               3")
    }

    @Test func metricsTextIsPrintedAsIs() {
        let text = "# TYPE pmsgw_requests_total counter\npmsgw_requests_total{method=\"a\"} 1\n"
        #expect(HumanOutput.render(["text": .string(text)], method: "system.metrics", colour: true) == text)
    }

    @Test func prettyJSONKeepsOrderAndParsesBack() throws {
        let value = try JSONValue.parse(#"{"b":[1,{"c":"\n"}],"a":{},"e":[]}"#)
        let pretty = PrettyJSON.format(value)
        #expect(
            pretty == "{\n  \"b\": [\n    1,\n    {\n      \"c\": \"\\n\"\n    }\n  ],\n  \"a\": {},\n  \"e\": []\n}")
        #expect(try JSONValue.parse(pretty) == value)
    }
}
