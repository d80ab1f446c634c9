/// An env file as systemd's `EnvironmentFile=` and Docker's `--env-file` read it: `NAME=value`
/// lines. Edited line by line so comments and every other variable stay byte for byte.
struct EnvironmentFile {
    private var lines: [[UInt8]]
    private var endsWithNewline: Bool

    init(bytes: [UInt8]) {
        endsWithNewline = bytes.last == UInt8(ascii: "\n")
        lines =
            bytes.isEmpty
            ? [] : bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        if endsWithNewline { lines.removeLast() }
    }

    var bytes: [UInt8] {
        lines.isEmpty ? [] : Array(lines.joined(separator: [UInt8(ascii: "\n")])) + [UInt8(ascii: "\n")]
    }

    /// Replaces every `NAME=` line (also `export NAME=`) with `NAME=value`, or appends one.
    /// Returns false, changing nothing, when every such line already says exactly that.
    mutating func set(_ name: String, to value: String) -> Bool {
        let wanted = Array("\(name)=\(value)".utf8)
        let matches = lines.indices.filter { Self.assigns(name, lines[$0]) }
        guard !matches.isEmpty else {
            lines.append(wanted)
            return true
        }
        guard matches.contains(where: { lines[$0] != wanted }) || !endsWithNewline else { return false }
        for index in matches { lines[index] = wanted }
        endsWithNewline = true
        return true
    }

    /// The value of the last `NAME=` line, as a shell sourcing the file would leave it.
    func value(of name: String) -> String? {
        guard let line = lines.last(where: { Self.assigns(name, $0) }) else { return nil }
        let text = String(decoding: line, as: UTF8.self)
        return text.firstIndex(of: "=").map { String(text[text.index(after: $0)...]) }
    }

    private static func assigns(_ name: String, _ line: [UInt8]) -> Bool {
        var text = Substring(decoding: line, as: UTF8.self).drop { $0 == " " || $0 == "\t" }
        if text.hasPrefix("export ") { text = text.dropFirst("export ".count).drop { $0 == " " } }
        return text.hasPrefix("\(name)=")
    }
}
