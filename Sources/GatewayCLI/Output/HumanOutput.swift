import GatewayJSON

/// Results as people read them on a terminal: a list result as a table of its entries, anything
/// else as aligned `name  value` lines, nested objects flattened to dotted names.
package enum HumanOutput {
    /// How a method's list result is shown: which member holds the entries, which of their
    /// members become columns (dotted for nested ones), and how to ask for the next page.
    struct ListLayout {
        let items: String
        let columns: [String]
        /// The flag that takes `nextKey`'s value, for the "more" hint under a partial page.
        var cursorFlag: String? = nil
        var nextKey: String? = nil
    }

    /// Columns chosen for a terminal's width: identifiers, state and time; the full entries
    /// (journal changes, hashes, peers' gids and pids) are in `--json`.
    static let listLayouts: [String: ListLayout] = [
        "client.list": ListLayout(
            items: "clients",
            columns: ["clientId", "name", "authPartnerId", "policyId", "status", "esignet.state", "updatedAt"],
            cursorFlag: "--cursor", nextKey: "nextCursor"),
        "license.list": ListLayout(
            items: "licenses", columns: ["providerId", "licenseKeyStatus", "licenseKeyExpiry", "policyId", "keyHint"],
            cursorFlag: "--cursor", nextKey: "nextCursor"),
        "journal.list": ListLayout(
            items: "entries", columns: ["seq", "at", "method", "entityType", "entityId", "peer.uid", "requestId"],
            cursorFlag: "--after-seq", nextKey: "nextAfterSeq"),
        "outbox.list": ListLayout(
            items: "entries",
            columns: ["seq", "target", "topic", "status", "attempts", "createdAt", "deliveredAt", "lastError"]),
        "system.preflight": ListLayout(items: "checks", columns: ["name", "ok", "detail", "fix"]),
    ]

    package static func render(_ result: JSONValue, method: String, colour: Bool) -> String {
        switch method {
        case "rpc.discover": return methodTable(result, colour: colour)
        case "system.metrics": return result["text"]?.stringValue ?? render(generic: result, colour: colour)
        default: break
        }
        if let layout = listLayouts[method], let entries = result[layout.items]?.arrayValue {
            return list(result, entries: entries, layout: layout, colour: colour)
        }
        return render(generic: result, colour: colour)
    }

    /// Any result: an object whose only list is of objects becomes a table, other objects
    /// `name  value` lines, a scalar its text.
    static func render(generic result: JSONValue, colour: Bool) -> String {
        guard let object = result.objectValue else { return cellText(result) }
        let lists = object.filter { member in
            member.value.arrayValue.map { !$0.isEmpty && $0.allSatisfy { $0.objectValue != nil } } ?? false
        }
        if lists.count == 1, let entries = lists[0].value.arrayValue {
            let columns = entries.compactMap(\.objectValue).flatMap(\.keys).reduce(into: [String]()) { keys, key in
                if !keys.contains(key) { keys.append(key) }
            }
            return list(
                result, entries: entries, layout: ListLayout(items: lists[0].key, columns: columns), colour: colour)
        }
        return properties(object, colour: colour)
    }

    private static func list(_ result: JSONValue, entries: [JSONValue], layout: ListLayout, colour: Bool) -> String {
        let rows = entries.map { entry in
            layout.columns.map { column in cell(entry.value(atPath: column), column: column) }
        }
        var text = Table(header: layout.columns.map(headerName), rows: rows).render(colour: colour)
        let noun = entries.count == 1 ? singular(layout.items) : layout.items
        text += "\n\n\(entries.count) \(noun)"
        if let nextKey = layout.nextKey, let flag = layout.cursorFlag, let next = result[nextKey], next != .null {
            text += "; more with \(flag) \(cellText(next)) or --all"
        }
        var rest = result.objectValue ?? JSONObject()
        rest[layout.items] = nil
        if let nextKey = layout.nextKey { rest[nextKey] = nil }
        if !rest.isEmpty { text += "\n" + properties(rest, colour: colour) }
        return text
    }

    /// `name  value` lines for an object, nested objects flattened to `outer.inner`.
    static func properties(_ object: JSONObject, colour: Bool) -> String {
        var rows: [[Table.Cell]] = []
        func add(_ object: JSONObject, prefix: String) {
            for (key, value) in object {
                let name = prefix + key
                if let nested = value.objectValue, !nested.isEmpty {
                    add(nested, prefix: name + ".")
                } else {
                    rows.append([Table.Cell(name), cell(value, column: key)])
                }
            }
        }
        add(object, prefix: "")
        return Table(header: nil, rows: rows).render(colour: colour)
    }

    /// `rpc.discover` for people: each method with its subcommand and params (optional ones in
    /// brackets).
    private static func methodTable(_ document: JSONValue, colour: Bool) -> String {
        let methods = document["methods"]?.arrayValue ?? []
        let rows: [[Table.Cell]] = methods.map { method in
            let params = (method["params"]?.arrayValue ?? []).compactMap { param -> String? in
                guard let name = param["name"]?.stringValue else { return nil }
                return param["required"] == .bool(true) ? name : "[\(name)]"
            }
            let name = method["name"]?.stringValue ?? "-"
            return [
                Table.Cell(name), Table.Cell(MethodName.subcommand(name)), Table.Cell(params.joined(separator: " ")),
                Table.Cell(method["summary"]?.stringValue ?? ""),
            ]
        }
        let table = Table(header: ["METHOD", "COMMAND", "PARAMS", "SUMMARY"], rows: rows).render(colour: colour)
        return table + "\n\n\(methods.count) \(methods.count == 1 ? "method" : "methods")"
    }

    private static func cell(_ value: JSONValue?, column: String) -> Table.Cell {
        let text = value.map(cellText) ?? "-"
        let name = column.split(separator: ".").last.map(String.init) ?? column
        return Table.Cell(text, colour: stateColour(name: name, text: text))
    }

    /// A cell's text: strings bare, null as `-`, lists of scalars comma-separated, anything else
    /// as compact JSON; never a line break, which would break the table.
    static func cellText(_ value: JSONValue) -> String {
        switch value {
        case .null: return "-"
        case .string(let text): return text.replacing("\n", with: " ")
        case .array(let elements) where elements.allSatisfy({ $0.objectValue == nil && $0.arrayValue == nil }):
            return elements.isEmpty ? "-" : elements.map(cellText).joined(separator: ", ")
        default: return value.serialized()
        }
    }

    /// Green for states that are fine, red for those that need an operator, yellow for waiting.
    static func stateColour(name: String, text: String) -> String? {
        guard ["status", "state", "ok", "valid", "licenseKeyStatus"].contains(name) else { return nil }
        switch text.lowercased() {
        case "ok", "active", "delivered", "approved", "true": return "32"
        case "inactive", "de-active", "failed", "rejected", "false", "unavailable": return "31"
        case "pending", "inprogress": return "33"
        default: return nil
        }
    }

    /// `authPartnerId` → `AUTH PARTNER ID`, `esignet.state` → `ESIGNET STATE`.
    static func headerName(_ column: String) -> String {
        var words: [String] = []
        var word = ""
        for character in column {
            if character == "." {
                words.append(word)
                word = ""
            } else if character.isUppercase && !word.isEmpty && !(word.last?.isUppercase ?? false) {
                words.append(word)
                word = String(character)
            } else {
                word.append(character)
            }
        }
        words.append(word)
        return words.filter { !$0.isEmpty }.joined(separator: " ").uppercased()
    }

    private static func singular(_ noun: String) -> String {
        if noun.hasSuffix("ies") { return String(noun.dropLast(3)) + "y" }
        return noun.hasSuffix("s") ? String(noun.dropLast()) : noun
    }
}

extension JSONValue {
    /// The member at a dotted path (`esignet.state`), nil when any step is missing.
    func value(atPath path: String) -> JSONValue? {
        var value: JSONValue? = self
        for step in path.split(separator: ".") { value = value?[String(step)] }
        return value
    }
}
