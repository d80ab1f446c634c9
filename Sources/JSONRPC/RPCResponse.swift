import GatewayJSON

/// Builds response lines. Each is compact JSON and ends with exactly one `\n`.
public enum RPCResponse {
    public static func success(id: JSONValue, result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "result": result]
    }

    public static func failure(id: JSONValue, error: RPCError) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "error": error.json]
    }

    /// One NDJSON line for a response value (an object, or an array for a batch).
    public static func line(_ value: JSONValue) -> [UInt8] {
        var bytes = value.serializedBytes()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
