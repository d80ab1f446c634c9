/// A Java `.properties` file held as its physical lines, edited one property at a time.
///
/// Only the lines that make up the edited property change; every comment, blank line, other
/// property, separator style and line ending is written back byte for byte, so the file an
/// operator maintains still diffs cleanly against what they wrote.
struct PropertiesFile: Equatable {
    /// One physical line: its bytes and the terminator that followed (`\n`, `\r\n`, or none at EOF).
    struct Line: Equatable {
        var content: [UInt8]
        var terminator: [UInt8]
    }

    /// One logical line: a comment/blank line, or a property spanning `lines` (continuations included).
    struct Entry {
        var lines: Range<Int>
        var key: String?
        /// The value as `Properties.load` would read it.
        var value: String
        /// The bytes before the value on the first line (`key = `), when the key and separator end there.
        var prefix: [UInt8]?
    }

    private(set) var lines: [Line]

    init(bytes: [UInt8]) {
        lines = Self.physicalLines(bytes)
    }

    var bytes: [UInt8] {
        lines.reduce(into: []) { out, line in out += line.content + line.terminator }
    }

    /// Values are read with last-one-wins, as `Properties.load` does.
    func value(of key: String) -> String? {
        entries().last { $0.key == key }?.value
    }

    /// Sets `key` to `value`: every occurrence is rewritten in place (so no stale duplicate can win),
    /// or one line is appended. Returns false, and changes nothing, when all already hold `value`.
    @discardableResult
    mutating func set(_ key: String, to value: String) -> Bool {
        let matches = entries().filter { $0.key == key }
        guard !matches.isEmpty else {
            append(key, value)
            return true
        }
        guard matches.contains(where: { $0.value != value }) else { return false }
        // From the end, so earlier ranges stay valid while later ones collapse to one line.
        for entry in matches.reversed() {
            let prefix = entry.prefix ?? Array("\(key)=".utf8)
            let replacement = Line(
                content: prefix + PropertiesSyntax.escapeValue(value), terminator: lines[entry.lines.last!].terminator)
            lines.replaceSubrange(entry.lines, with: [replacement])
        }
        return true
    }

    private mutating func append(_ key: String, _ value: String) {
        let newline = lines.first { !$0.terminator.isEmpty }?.terminator ?? Array("\n".utf8)
        if let last = lines.indices.last {
            // Terminate an unterminated last line, and end a dangling continuation with a blank line
            // so the appended property is not read as part of the previous value.
            if lines[last].terminator.isEmpty { lines[last].terminator = newline }
            if entries().last?.key != nil, PropertiesSyntax.continues(lines[last].content) {
                lines.append(Line(content: [], terminator: newline))
            }
        }
        lines.append(Line(content: Array("\(key)=".utf8) + PropertiesSyntax.escapeValue(value), terminator: newline))
    }

    static func physicalLines(_ bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            var end = index
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(Line(content: Array(bytes[start..<end]), terminator: Array(bytes[end...index])))
            start = index + 1
        }
        if start < bytes.count { lines.append(Line(content: Array(bytes[start...]), terminator: [])) }
        return lines
    }

    /// Groups physical lines into logical ones. A continuation line's leading blanks are dropped
    /// and so is the backslash that asked for it, exactly as `Properties.load` joins them.
    func entries() -> [Entry] {
        var entries: [Entry] = []
        var index = 0
        while index < lines.count {
            if PropertiesSyntax.isCommentOrBlank(lines[index].content) {
                entries.append(Entry(lines: index..<index + 1, key: nil, value: "", prefix: nil))
                index += 1
                continue
            }
            let entry = property(startingAt: index)
            entries.append(entry)
            index = entry.lines.upperBound
        }
        return entries
    }

    private func property(startingAt first: Int) -> Entry {
        var logical: [UInt8] = []
        var index = first
        var firstLineLength = 0
        while true {
            var content = lines[index].content
            if index > first { content = Array(content.drop { PropertiesSyntax.isBlank($0) }) }
            // A backslash on the last line of the file asks for a line that never comes: Java drops it.
            let backslashed = PropertiesSyntax.continues(content)
            if backslashed { content.removeLast() }
            let continued = backslashed && index + 1 < lines.count
            logical += content
            if index == first { firstLineLength = content.count }
            index += 1
            if !continued { break }
        }
        let split = PropertiesSyntax.split(logical)
        let value = PropertiesSyntax.unescape(logical[split.valueStart...])
        var prefix = split.valueStart <= firstLineLength ? Array(lines[first].content[..<split.valueStart]) : nil
        // A bare key (`key` alone on its line) has no separator to keep: give the new value one.
        if split.valueStart == split.keyEnd { prefix?.append(UInt8(ascii: "=")) }
        return Entry(lines: first..<index, key: split.key, value: value, prefix: prefix)
    }
}
