/// The lexical rules of Java `.properties` files (`java.util.Properties.load`), over raw bytes.
///
/// Bytes rather than `String` so that every line we do not edit is written back exactly as read,
/// whatever its encoding (ISO-8859-1 and UTF-8 files both exist in MOSIP deployments).
enum PropertiesSyntax {
    static let backslash = UInt8(ascii: "\\")

    /// Java's white space in property lines: space, tab and form feed (not newline).
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == 0x0C
    }

    /// A line whose first non-blank byte is `#` or `!`, or that is blank: it never continues.
    static func isCommentOrBlank(_ line: [UInt8]) -> Bool {
        guard let first = line.first(where: { !isBlank($0) }) else { return true }
        return first == UInt8(ascii: "#") || first == UInt8(ascii: "!")
    }

    /// An odd number of trailing backslashes joins the next line (an even number is escaped ones).
    static func continues(_ line: [UInt8]) -> Bool {
        line.reversed().prefix { $0 == backslash }.count % 2 == 1
    }

    /// Where a key ends and its value starts in a logical line.
    struct KeyAndValue {
        var key: String
        /// Offset just past the key's last byte.
        var keyEnd: Int
        /// Offset of the value's first byte (after the separator and the blanks around it).
        var valueStart: Int
    }

    /// Splits a logical line as `Properties.load` does: the key ends at the first unescaped `=`,
    /// `:` or blank; blanks, then one `=` or `:`, then blanks separate it from the value.
    static func split(_ logical: [UInt8]) -> KeyAndValue {
        var position = logical.firstIndex { !isBlank($0) } ?? logical.count
        let keyStart = position
        while position < logical.count {
            let byte = logical[position]
            if byte == backslash {
                position += 2
                continue
            }
            if byte == UInt8(ascii: "=") || byte == UInt8(ascii: ":") || isBlank(byte) { break }
            position += 1
        }
        let keyEnd = min(position, logical.count)
        let key = unescape(logical[keyStart..<keyEnd])
        while position < logical.count, isBlank(logical[position]) { position += 1 }
        if position < logical.count, logical[position] == UInt8(ascii: "=") || logical[position] == UInt8(ascii: ":") {
            position += 1
            while position < logical.count, isBlank(logical[position]) { position += 1 }
        }
        return KeyAndValue(key: key, keyEnd: keyEnd, valueStart: position)
    }

    /// Resolves `\t`, `\n`, `\r`, `\f`, `\uXXXX` and `\x` → `x`. Other bytes map to the code point
    /// of the same number (ISO-8859-1, Java's own reading of a properties stream).
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        var index = bytes.startIndex
        while index < bytes.endIndex {
            var byte = bytes[index]
            index += 1
            guard byte == backslash, index < bytes.endIndex else {
                scalars.append(Unicode.Scalar(byte))
                continue
            }
            byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "u"):
                let digits = bytes[index..<min(index + 4, bytes.endIndex)]
                if digits.count == 4, let value = UInt32(String(decoding: digits, as: UTF8.self), radix: 16),
                    let scalar = Unicode.Scalar(value)
                {
                    scalars.append(scalar)
                    index += 4
                } else {
                    scalars.append("u")
                }
            default: scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    /// A value as `Properties.load` will read it back: backslashes, controls and a leading blank
    /// escaped; other characters written as UTF-8 (what Spring reads `.properties` files as).
    static func escapeValue(_ value: String) -> [UInt8] {
        var out: [UInt8] = []
        for (offset, scalar) in value.unicodeScalars.enumerated() {
            switch scalar {
            case "\\": out.append(contentsOf: Array(#"\\"#.utf8))
            case "\t": out.append(contentsOf: Array(#"\t"#.utf8))
            case "\n": out.append(contentsOf: Array(#"\n"#.utf8))
            case "\r": out.append(contentsOf: Array(#"\r"#.utf8))
            case "\u{0C}": out.append(contentsOf: Array(#"\f"#.utf8))
            case " " where offset == 0: out.append(contentsOf: Array(#"\ "#.utf8))
            default: out.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        return out
    }
}
