/// A JSON number kept as its source text.
///
/// JSON-RPC ids must come back exactly as sent; converting through `Double` would turn
/// `9007199254740993` into `9007199254740992`. Arithmetic views are computed on demand.
package struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's text, valid per RFC 8259's number grammar.
    package let text: String

    /// Wraps text the parser has already validated.
    init(validatedText: String) {
        self.text = validatedText
    }

    package init(_ int: Int) {
        self.text = String(int)
    }

    /// A finite double in its shortest round-trip form.
    package init?(_ double: Double) {
        guard double.isFinite else { return nil }
        self.text = CanonicalNumber.format(double)
    }

    /// The value as an `Int` when the text is an integer literal that fits.
    package var int: Int? {
        Int(text)
    }

    /// The value as a `Double`, for comparisons such as a schema's `minimum` (never for ids).
    package var double: Double? { Double(text) }

    package var description: String { text }
}
