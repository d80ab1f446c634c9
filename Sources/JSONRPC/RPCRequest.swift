import GatewayJSON

/// A well-formed JSON-RPC 2.0 request or notification.
package struct RPCRequest: Sendable {
    /// `nil` for a notification; otherwise the id exactly as received (string, number or null).
    package let id: JSONValue?
    package let method: String
    /// Params by name; an absent `params` member is an empty object.
    package let params: JSONObject

    package var isNotification: Bool { id == nil }

    /// The id's JSON text, as the journal records it (`nil` for notifications).
    package var idText: String? { id.map { $0.serialized() } }
}

/// The outcome of reading one message: a request to dispatch, or an error to send back with
/// whatever id could be recovered (sourcekit-lsp's approach, so a bad request still gets its id).
package enum RPCMessage: Sendable {
    case request(RPCRequest)
    case invalid(id: JSONValue, error: RPCError)
    /// A well-formed notification that cannot run (positional params). JSON-RPC 2.0 forbids any
    /// reply to a notification, errors included, so the error is kept only for the record.
    case failedNotification(RPCError)
}

extension RPCMessage {
    /// Validates the envelope of one message (a single request or one batch entry).
    package init(_ message: JSONValue) {
        guard case .object(let object) = message else {
            self = .invalid(id: .null, error: .invalidRequest("a request must be a JSON object"))
            return
        }
        let id = object["id"]
        let replyID = Self.validID(id) ?? .null
        guard object["jsonrpc"] == "2.0" else {
            self = .invalid(id: replyID, error: .invalidRequest("jsonrpc must be \"2.0\""))
            return
        }
        if let id, Self.validID(id) == nil {
            self = .invalid(id: .null, error: .invalidRequest("id must be a string, a number or null"))
            return
        }
        guard case .string(let method)? = object["method"] else {
            self = .invalid(id: replyID, error: .invalidRequest("method must be a string"))
            return
        }
        switch object["params"] {
        case nil:
            self = .request(RPCRequest(id: id, method: method, params: JSONObject()))
        case .object(let params)?:
            self = .request(RPCRequest(id: id, method: method, params: params))
        case .array?:
            let error = RPCError.invalidParams("params must be given by name (an object)")
            self = id == nil ? .failedNotification(error) : .invalid(id: replyID, error: error)
        default:
            self = .invalid(id: replyID, error: .invalidRequest("params must be an object"))
        }
    }

    private static func validID(_ id: JSONValue?) -> JSONValue? {
        switch id {
        case .string?, .number?, .null?: id
        default: nil
        }
    }
}

/// Builds response lines. Each is compact JSON and ends with exactly one `\n`.
package enum RPCResponse {
    /// A success response's bytes, written straight out: `{"jsonrpc":"2.0","id":…,"result":…}`.
    package static func success(id: JSONValue, result: RPCResult) -> [UInt8] {
        var bytes: [UInt8] = []
        // Room for the line's newline too (``line(entry:)``), so the reply is built in one array
        // that never grows and copies on the way.
        bytes.reserveCapacity(48 + result.expectedByteCount)
        bytes.append(contentsOf: #"{"jsonrpc":"2.0","id":"#.utf8)
        id.serialize(into: &bytes)
        bytes.append(contentsOf: #","result":"#.utf8)
        result.write(into: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    package static func failure(id: JSONValue, error: RPCError) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "error": error.json]
    }

    /// One NDJSON line for a response value (an object, or an array for a batch).
    package static func line(_ value: JSONValue) -> [UInt8] {
        line(entry: value.serializedBytes())
    }

    /// One NDJSON line for a response already serialized.
    static func line(entry bytes: consuming [UInt8]) -> [UInt8] {
        var line = bytes
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// The line for an entry that may be absent (a notification's): the newline is appended in
    /// place, the entry's array being this call's to consume.
    static func line(ifAny bytes: consuming [UInt8]?) -> [UInt8]? {
        guard let entry = bytes else { return nil }
        return line(entry: entry)
    }
}

extension RPCMessage {
    /// The id a reply carries; nil when nothing may be replied (a notification).
    var replyID: JSONValue? {
        switch self {
        case .request(let request): request.id
        case .invalid(let id, _): id
        case .failedNotification: nil
        }
    }

    /// The reply to a message that is not dispatched: its error, or nothing for a notification.
    var undispatchedReply: JSONValue? {
        switch self {
        case .invalid(let id, let error): RPCResponse.failure(id: id, error: error)
        case .request, .failedNotification: nil
        }
    }
}
