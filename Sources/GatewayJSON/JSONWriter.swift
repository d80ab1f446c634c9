/// Compact serialization into a byte buffer: no insignificant whitespace and never a raw newline,
/// so every document fits on one NDJSON line.
struct JSONWriter {
    /// When set, object members are written in RFC 8785 order and numbers in ECMAScript form.
    let canonical: Bool

    func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number):
            output.append(contentsOf: (canonical ? CanonicalNumber.format(number) : number.text).utf8)
        case .string(let string): Self.writeString(string, into: &output)
        case .array(let elements): writeArray(elements, into: &output)
        case .object(let object): writeObject(object, into: &output)
        }
    }

    private func writeArray(_ elements: [JSONValue], into output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            write(element, into: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    private func writeObject(_ object: JSONObject, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        let members =
            canonical ? object.members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) } : object.members
        for (index, member) in members.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            Self.writeString(member.key, into: &output)
            output.append(UInt8(ascii: ":"))
            write(member.value, into: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Escapes exactly what RFC 8785 requires (quote, backslash, controls); everything else is
    /// written as UTF-8, which is also what the compact form wants. Runs that need no escaping are
    /// copied in one step: on the hot paths nearly every string is such a run.
    static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(for: byte, into: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendEscape(for byte: UInt8, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        default:
            output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0xF)])
        }
    }
}

extension JSONValue {
    /// Compact UTF-8 bytes, member order kept, numbers as received.
    package func serializedBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(128)
        JSONWriter(canonical: false).write(self, into: &output)
        return output
    }

    /// Appends the compact form to `output`; the transport writes responses this way without copies.
    package func serialize(into output: inout [UInt8]) {
        JSONWriter(canonical: false).write(self, into: &output)
    }

    package func serialized() -> String {
        // A number's compact form is its own text: no buffer to build (request ids are numbers,
        // and every call records its id's text).
        if case .number(let number) = self { return number.text }
        return String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// RFC 8785 (JCS) canonical form: members sorted by UTF-16 code units, numbers as ECMAScript
    /// prints them. The journal hashes this form, so anyone can recompute a hash from JSON alone.
    package func canonicalBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        JSONWriter(canonical: true).write(self, into: &output)
        return output
    }

    package func canonicalText() -> String {
        String(decoding: canonicalBytes(), as: UTF8.self)
    }
}
