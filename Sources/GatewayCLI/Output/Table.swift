/// Rows of text cells laid out in aligned columns, as `systemctl list-units` does: a header in
/// capitals, columns two spaces apart, no borders. Widths count characters of the plain text, so
/// colour codes never shift the alignment.
package struct Table {
    package struct Cell {
        package var text: String
        /// An ANSI SGR code (`"32"` green) applied when colour is on.
        package var colour: String?

        package init(_ text: String, colour: String? = nil) {
            self.text = text
            self.colour = colour
        }
    }

    package var header: [String]?
    package var rows: [[Cell]]

    package init(header: [String]?, rows: [[Cell]]) {
        self.header = header
        self.rows = rows
    }

    package func render(colour: Bool) -> String {
        var all: [[Cell]] = rows
        if let header { all.insert(header.map { Cell($0, colour: "1") }, at: 0) }
        let columnCount = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columnCount)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.text.count) }
        }
        var lines: [String] = []
        for row in all {
            var line = ""
            for (index, cell) in row.enumerated() {
                let isLast = index == row.count - 1
                if colour, let code = cell.colour {
                    line += "\u{1B}[\(code)m\(cell.text)\u{1B}[0m"
                } else {
                    line += cell.text
                }
                if !isLast { line += String(repeating: " ", count: widths[index] - cell.text.count + 2) }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
