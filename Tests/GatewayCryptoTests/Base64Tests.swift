import Foundation
import GatewayCrypto
import Testing

@Suite("Base64")
struct Base64Tests {
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func standardEncodingMatchesRFC4648(_ input: String, _ expected: String) {
        #expect(Base64.encode(Array(input.utf8)) == expected)
    }

    @Test func urlEncodingUsesTheURLAlphabetWithoutPadding() {
        #expect(Base64.encode([0xfb, 0xff]) == "+/8=")
        #expect(Base64.encodeURL([0xfb, 0xff]) == "-_8")
    }

    @Test func everyLengthRoundTripsAndAgreesWithFoundation() {
        for length in 0..<70 {
            let bytes = SecureRandom.bytes(length)
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString())
            let url = Base64.encodeURL(bytes)
            #expect(Base64.decodeURL(url) == bytes)
            #expect(Base64.decodeURL(url + String(repeating: "=", count: (4 - url.count % 4) % 4)) == bytes)
        }
    }

    @Test(arguments: [
        "ab+c", "ab/c", "ab c", "abc\n", " abc", "a", "abcde", "QR", "QQ=", "=QQ", "Q===", "QQ==QQ==", "é",
    ])
    func decodeURLRejectsNonCanonicalText(_ text: String) {
        #expect(Base64.decodeURL(text) == nil)
    }

    @Test func decodeURLAcceptsCanonicalText() {
        #expect(Base64.decodeURL("") == [])
        #expect(Base64.decodeURL("QQ") == [0x41])
        #expect(Base64.decodeURL("QQ==") == [0x41])
        #expect(Base64.decodeURL("-_8") == [0xfb, 0xff])
    }
}
