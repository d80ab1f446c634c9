import GatewayJSON
import Testing

@Suite struct JSONValueTests {
    @Test func keepsNumberTextExactly() throws {
        let value = try JSONValue.parse(#"{"id":9007199254740993,"f":1.50,"e":-2E+10}"#)
        #expect(value["id"]?.numberValue?.text == "9007199254740993")
        #expect(value.serialized() == #"{"id":9007199254740993,"f":1.50,"e":-2E+10}"#)
    }

    @Test func rejectsMalformedDocuments() {
        for text in [
            "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"a", "[1] 2", "\"\\x\"", "\"\u{01}\"", "{a:1}",
        ] {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONValue.parse(text) }
        }
    }

    @Test func boundsNesting() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONValue.parse(ok)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError(reason: .tooDeep(limit: 64), offset: 64)) { try JSONValue.parse(deep) }
        let veryDeep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(veryDeep) }
    }

    @Test func rejectsInvalidUTF8() {
        for bytes: [UInt8] in [
            [0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xFF, 0x22],
        ] {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
        }
        #expect((try? JSONValue.parse(Array("\"h\u{e9}\u{1F600}\"".utf8))) == .string("h\u{e9}\u{1F600}"))
    }

    @Test func decodesEscapes() throws {
        let value = try JSONValue.parse(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1F600}"))
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#""\ud83d""#) }
        #expect(JSONValue.string("line\nbreak\u{1}").serialized() == #""line\nbreak\u0001""#)
    }

    /// Strings without escapes are taken straight from the input and the rest through a buffer:
    /// both must give the same text, whatever mix of plain runs and escapes a string has.
    @Test func plainRunsAndEscapesMix() throws {
        let long = String(repeating: "clientId-", count: 8)
        let cases: [(String, String)] = [
            (#""""#, ""), (#""a""#, "a"), ("\"\(long)\"", long), (#""\n""#, "\n"), (#""\nx""#, "\nx"),
            (#""x\n""#, "x\n"), ("\"\(long)\\t\(long)\\u00e9\(long)\"", long + "\t" + long + "\u{e9}" + long),
            (#""\\\\\\""#, "\\\\\\"), ("\"h\u{e9}\\n\u{1F600}\"", "h\u{e9}\n\u{1F600}"),
        ]
        for (text, expected) in cases {
            #expect(try JSONValue.parse(text) == .string(expected), "\(text)")
            #expect(try JSONValue.parse("{\(text):1}").objectValue?.keys == [expected], "\(text)")
        }
        // Invalid UTF-8 is caught in the run after an escape as well as before one.
        for bytes: [UInt8] in [[0x22, 0x5C, 0x6E, 0xFF, 0x22], [0x22, 0xC3, 0x5C, 0x6E, 0x22]] {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
        }
    }

    @Test func duplicateKeysKeepTheLastValue() throws {
        let value = try JSONValue.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.count == 2)
        #expect(value["a"] == 3)
    }

    /// Objects past a few members are parsed and compared through a table of their keys; what
    /// they hold must not differ from the small objects' answers: duplicates keep the last value
    /// in the first one's place, and equality ignores order.
    @Test func largeObjectsKeepDuplicateRulesAndCompareByContent() throws {
        let keys = (0..<5_000).map { "k\($0)" }
        let text = "{" + keys.enumerated().map { "\"\($1)\":\($0)" }.joined(separator: ",") + ",\"k7\":-1,\"k4999\":-2}"
        let object = try #require(try JSONValue.parse(text).objectValue)
        #expect(object.count == 5_000)
        #expect(object.keys == keys)
        #expect(object["k7"] == -1)
        #expect(object["k4999"] == -2)
        #expect(object["k8"] == 8)
        let reversed = "{" + keys.enumerated().reversed().map { "\"\($1)\":\($0)" }.joined(separator: ",") + "}"
        var expected = try #require(try JSONValue.parse(reversed).objectValue)
        #expect(expected != object)
        expected["k7"] = -1
        expected["k4999"] = -2
        #expect(expected == object)
        expected["k4999"] = -3
        #expect(expected != object)
        #expect(JSONObject(distinctMembers: Array(object.members.dropLast())) != object)
    }

    /// RFC 8785 section 3.2.2/3.2.3 examples.
    @Test func canonicalFormFollowsRFC8785() throws {
        let value = try JSONValue.parse(
            #"{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}"#
        )
        #expect(
            value.canonicalText()
                == #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        )
        let sorted = try JSONValue.parse(
            #"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#
        )
        let keys = sorted.canonicalText()
        #expect(keys.hasPrefix("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"ö\""))
        #expect(keys.hasSuffix(#""€":"Euro Sign","😀":"Emoji: Grinning Face","דּ":"Hebrew Letter Dalet With Dagesh"}"#))
    }

    @Test func canonicalNumbers() {
        let cases: [(Double, String)] = [
            (1e21, "1e+21"), (1e20, "100000000000000000000"), (0.000001, "0.000001"), (1e-7, "1e-7"),
            (123.456, "123.456"), (-0.5, "-0.5"), (Double("5e-324")!, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (9_007_199_254_740_992, "9007199254740992"), (Double("295147905179352830000")!, "295147905179352830000"),
        ]
        for (double, text) in cases {
            #expect(JSONNumber(double)?.text == text, "\(double)")
        }
    }
}
