/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// Written by hand rather than on `JSONDecoder` for three reasons the transport needs: number
/// text is kept exactly, nesting depth is bounded before recursion can exhaust the stack, and
/// invalid UTF-8 is reported as a parse error instead of being repaired.
struct JSONParser: ~Copyable {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var position = 0
    private var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw error(.trailingData) }
        return value
    }

    private func error(_ reason: JSONParseError.Reason) -> JSONParseError {
        JSONParseError(reason: reason, offset: position)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): position += 1
            default: return
            }
        }
    }

    private func peek() throws(JSONParseError) -> UInt8 {
        guard position < bytes.count else { throw error(.unexpectedEnd) }
        return bytes[position]
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case let byte: throw error(.unexpectedByte(byte))
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error(.unexpectedEnd) }
        for index in 0..<count where bytes[position + index] != literal.utf8Start[index] {
            position += index
            throw error(.unexpectedByte(bytes[position]))
        }
        position += count
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= maxDepth else { throw error(.tooDeep(limit: maxDepth)) }
        position += 1
        skipWhitespace()
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        var object = JSONObject()
        var positions: [String: Int]? = nil
        if try peek() == UInt8(ascii: "}") {
            position += 1
            return .object(object)
        }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw error(.unexpectedByte(bytes[position])) }
            let key = try parseString()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw error(.unexpectedByte(bytes[position])) }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            object.addParsed(key, value, positions: &positions)
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                position += 1
                return .object(object)
            case let byte:
                throw error(.unexpectedByte(byte))
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        if try peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            case let byte:
                throw error(.unexpectedByte(byte))
            }
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw error(.invalidNumber) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw error(.invalidNumber) }
            skipDigits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error(.invalidNumber) }
            skipDigits()
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        return JSONNumber(validatedText: text)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    /// Parses a string starting at its opening quote. Plain runs are validated as UTF-8 and copied
    /// in one step; escapes are decoded one by one.
    ///
    /// A string without escapes, nearly every string in a request, becomes a `String` straight from
    /// the input: no scratch buffer, and none at all for the short keys and methods that fit in a
    /// small string.
    private mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        // Decoded text so far; stays empty (and unallocated) until the first escape.
        var scalars: [UInt8] = []
        var escaped = false
        var runStart = position
        while true {
            guard position < bytes.count else { throw error(.unexpectedEnd) }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let run = try validated(runStart..<position)
                position += 1
                guard escaped else { return String(decoding: run, as: UTF8.self) }
                scalars.append(contentsOf: run)
                return String(decoding: scalars, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                scalars.append(contentsOf: try validated(runStart..<position))
                try parseEscape(into: &scalars)
                runStart = position
            } else if byte < 0x20 {
                throw error(.unexpectedByte(byte))
            } else {
                position += 1
            }
        }
    }

    /// The bytes of `range`, once they are known to be valid UTF-8.
    private func validated(_ range: Range<Int>) throws(JSONParseError) -> UnsafeBufferPointer<UInt8> {
        let run = UnsafeBufferPointer(rebasing: bytes[range])
        guard UTF8Validation.isValid(run) else {
            throw JSONParseError(reason: .invalidUTF8, offset: range.lowerBound)
        }
        return run
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws(JSONParseError) {
        position += 1
        guard position < bytes.count else { throw error(.unexpectedEnd) }
        let escaped = bytes[position]
        position += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escaped)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"): try parseUnicodeEscape(into: &output)
        default: throw error(.invalidEscape)
        }
    }

    private mutating func parseUnicodeEscape(into output: inout [UInt8]) throws(JSONParseError) {
        var code = UInt32(try parseHex4())
        if (0xD800...0xDBFF).contains(code) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { throw error(.invalidEscape) }
            position += 2
            let low = UInt32(try parseHex4())
            guard (0xDC00...0xDFFF).contains(low) else { throw error(.invalidEscape) }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(code) {
            throw error(.invalidEscape)
        }
        guard let scalar = Unicode.Scalar(code) else { throw error(.invalidEscape) }
        output.append(contentsOf: UTF8.encode(scalar)!)
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        guard position + 4 <= bytes.count else { throw error(.unexpectedEnd) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.invalidEscape)
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}

extension JSONValue {
    /// Parses one JSON document. `maxDepth` bounds the nesting of arrays and objects.
    package static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
            return Result { () throws(JSONParseError) in try parser.parseDocument() }
        }
        if let result { return try result.get() }
        return try parse(Array(bytes), maxDepth: maxDepth)
    }

    package static func parse(_ text: String, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}
