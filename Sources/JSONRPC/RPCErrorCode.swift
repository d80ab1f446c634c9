/// A JSON-RPC error code. A struct rather than an enum so adding a code never breaks a caller.
public struct RPCErrorCode: RawRepresentable, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let parseError = RPCErrorCode(rawValue: -32700)
    public static let invalidRequest = RPCErrorCode(rawValue: -32600)
    public static let methodNotFound = RPCErrorCode(rawValue: -32601)
    public static let invalidParams = RPCErrorCode(rawValue: -32602)
    public static let internalFailure = RPCErrorCode(rawValue: -32603)
    public static let notFound = RPCErrorCode(rawValue: -32001)
    public static let conflict = RPCErrorCode(rawValue: -32002)
    public static let refused = RPCErrorCode(rawValue: -32003)
    public static let forbidden = RPCErrorCode(rawValue: -32010)
    public static let unavailable = RPCErrorCode(rawValue: -32011)
}
