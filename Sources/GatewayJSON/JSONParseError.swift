/// Why a document is not acceptable JSON. The transport maps every case to -32700.
package struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Reason: Sendable, Equatable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidUTF8
        case invalidEscape
        case invalidNumber
        case tooDeep(limit: Int)
        case trailingData
    }

    package let reason: Reason
    /// Byte offset where the problem was found.
    package let offset: Int

    package init(reason: Reason, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    package var description: String {
        switch reason {
        case .unexpectedEnd: "unexpected end of input"
        case .unexpectedByte(let byte): "unexpected byte 0x\(String(byte, radix: 16)) at offset \(offset)"
        case .invalidUTF8: "invalid UTF-8 at offset \(offset)"
        case .invalidEscape: "invalid string escape at offset \(offset)"
        case .invalidNumber: "invalid number at offset \(offset)"
        case .tooDeep(let limit): "nesting deeper than \(limit)"
        case .trailingData: "unexpected data after the JSON value at offset \(offset)"
        }
    }
}
