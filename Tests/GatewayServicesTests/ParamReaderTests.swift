import GatewayJSON
import Testing

@testable import GatewayServices

/// Blank and length checks count characters as PMS does (graphemes), with an ASCII fast path
/// that must agree with the general one.
@Suite struct ParamReaderTests {
    private func read(_ text: String, size: ClosedRange<Int> = 1...Int.max) -> GatewayError? {
        do {
            _ = try ParamReader(["name": .string(text)]).string("name", size: size)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["", " ", "\t", "\r\n", " \u{3000}\u{00A0} ", "\u{2003}"])
    func whitespaceOnlyIsBlank(text: String) {
        #expect(read(text)?.message == "Invalid request parameter - must not be blank :request.name")
    }

    @Test(arguments: ["a", " a ", "\u{3000}x", "é", "\u{1F44D}\u{1F3FD}"])
    func anythingElseIsNotBlank(text: String) {
        #expect(read(text) == nil)
    }

    /// Sizes are in characters: a decomposed "é" and a toned emoji are one each, "\r\n" is one.
    @Test(arguments: [
        ("abc", 3), ("e\u{0301}", 1), ("\u{1F44D}\u{1F3FD}", 1), ("a\r\nb", 3), ("naïve", 5), ("a\tb", 3),
    ])
    func sizeCountsCharacters(text: String, characters: Int) {
        #expect(read(text, size: characters...characters) == nil)
        #expect(read(text, size: (characters + 1)...(characters + 1)) != nil)
    }
}
