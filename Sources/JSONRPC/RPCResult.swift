import GatewayJSON

/// What a handler answers: a value to serialize, or one serialized ahead of time.
///
/// A hot read answers the same result until its data changes. Cached beside the data as bytes
/// (eSignet's `client.get`), it is copied into the reply instead of built as a tree of a few dozen
/// values and written out again for every call.
package enum RPCResult: Sendable {
    case value(JSONValue)
    case serialized(SerializedJSON)

    /// About how many bytes ``write(into:)`` appends, to size the reply before it is written.
    var expectedByteCount: Int {
        switch self {
        case .value: 512
        case .serialized(let json): json.bytes.count
        }
    }

    /// Appends the result's compact JSON to `output`.
    func write(into output: inout [UInt8]) {
        switch self {
        case .value(let value): value.serialize(into: &output)
        case .serialized(let json): output.append(contentsOf: json.bytes)
        }
    }
}
