import GatewayJSON

#if canImport(Glibc)
    import Glibc
#endif

/// What every command does once its params are known: find the socket, call, print the result
/// the way the terminal (or pipe) wants it.
package struct Invocation {
    let options: GlobalOptions

    package init(_ options: GlobalOptions) {
        self.options = options
    }

    var socketPath: String {
        SocketLocation.resolve(
            option: options.socket, environment: { getenv($0).map { String(cString: $0) } },
            exists: { access($0, F_OK) == 0 })
    }

    package func connect() throws(CLIError) -> DaemonConnection {
        try DaemonConnection(path: socketPath)
    }

    /// Calls `method` once, or page after page when `followCursors` is set, and prints the result.
    package func perform(_ method: String, _ params: JSONObject, followCursors: Bool = false) throws(CLIError) {
        let connection = try connect()
        let result =
            followCursors
            ? try Pager.all(method, params, connection: connection) : try connection.call(method, params)
        print(result, method: method)
    }

    /// The result as JSON or for people, per ``OutputStyle``.
    package func print(_ result: JSONValue, method: String) {
        let style = OutputStyle.current(jsonFlag: options.json)
        if style.json {
            Console.out(style.prettyJSON ? PrettyJSON.format(result) : result.serialized())
        } else {
            Console.out(HumanOutput.render(result, method: method, colour: style.colour))
        }
    }
}

/// `--all` (SPEC 8): every page of a list method, joined into one result of a page's shape
/// whose cursor is null (no cursor member at all for `outbox.list`, whose pages have none).
package enum Pager {
    struct Paging {
        /// The member holding the entries.
        let items: String
        /// The param that asks for the page after a cursor.
        let cursorParam: String
        /// The result member with the next cursor; nil when the next page starts after the last
        /// entry's `seq` instead.
        let nextKey: String?
    }

    static let methods: [String: Paging] = [
        "client.list": Paging(items: "clients", cursorParam: "cursor", nextKey: "nextCursor"),
        "license.list": Paging(items: "licenses", cursorParam: "cursor", nextKey: "nextCursor"),
        "journal.list": Paging(items: "entries", cursorParam: "afterSeq", nextKey: "nextAfterSeq"),
        "outbox.list": Paging(items: "entries", cursorParam: "after", nextKey: nil),
    ]

    package static func all(_ method: String, _ params: JSONObject, connection: DaemonConnection) throws(CLIError)
        -> JSONValue
    {
        guard let paging = methods[method] else { return try connection.call(method, params) }
        var params = params
        var entries: [JSONValue] = []
        var shape: JSONObject?
        var previousCursor: JSONValue?
        while true {
            let page = try connection.call(method, params)
            guard var object = page.objectValue, let pageEntries = object[paging.items]?.arrayValue else {
                throw .unavailable("\(method) answered a page without \(paging.items)")
            }
            entries += pageEntries
            // JSONValue is ExpressibleByNilLiteral: spell out the optional so a null cursor is
            // "no more pages", never a `null` sent back as the next cursor.
            let cursor: JSONValue? =
                if let nextKey = paging.nextKey {
                    object[nextKey] == .null ? Optional.none : object[nextKey]
                } else {
                    pageEntries.last?["seq"]
                }
            if shape == nil {
                object[paging.items] = .array([])
                if let nextKey = paging.nextKey { object[nextKey] = .null }
                shape = object
            }
            // A cursor that does not move would loop for ever; the daemon never sends one, but a
            // command line must end whatever it is told.
            guard let cursor, cursor != previousCursor else { break }
            previousCursor = cursor
            params[paging.cursorParam] = cursor
        }
        var result = shape ?? JSONObject()
        result[paging.items] = .array(entries)
        return .object(result)
    }
}
