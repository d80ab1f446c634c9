import GatewayJSON

/// The `error` member of a response: `{code, message, data: {errorCode, message}}` (SPEC 3).
public struct RPCError: Error, Sendable, Equatable {
    public var code: RPCErrorCode
    public var message: String
    /// MOSIP's code (`PMS_ESI_001`, ...) or one of ours (`GW_...`).
    public var errorCode: String
    /// MOSIP's text where MOSIP has one, else ours.
    public var detail: String

    public init(code: RPCErrorCode, message: String, errorCode: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.errorCode = errorCode
        self.detail = detail ?? message
    }

    public var json: JSONValue {
        [
            "code": JSONValue(code.rawValue),
            "message": .string(message),
            "data": ["errorCode": .string(errorCode), "message": .string(detail)],
        ]
    }
}

extension RPCError {
    public static func parseError(_ reason: String) -> RPCError {
        RPCError(code: .parseError, message: "Parse error", errorCode: "GW_PARSE_ERROR", detail: reason)
    }

    public static func invalidRequest(_ reason: String) -> RPCError {
        RPCError(code: .invalidRequest, message: "Invalid Request", errorCode: "GW_INVALID_REQUEST", detail: reason)
    }

    public static func requestTooLarge(limit: Int) -> RPCError {
        RPCError(
            code: .invalidRequest, message: "Invalid Request", errorCode: "GW_REQUEST_TOO_LARGE",
            detail: "request line exceeds \(limit) bytes"
        )
    }

    public static func batchTooLarge(limit: Int) -> RPCError {
        RPCError(
            code: .invalidRequest, message: "Invalid Request", errorCode: "GW_BATCH_TOO_LARGE",
            detail: "batch exceeds \(limit) entries"
        )
    }

    public static func responseTooLarge(limit: Int) -> RPCError {
        RPCError(
            code: .invalidRequest, message: "Invalid Request", errorCode: "GW_RESPONSE_TOO_LARGE",
            detail: "the batch's replies exceed \(limit) bytes"
        )
    }

    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(
            code: .methodNotFound, message: "Method not found", errorCode: "GW_METHOD_NOT_FOUND",
            detail: "no method named \(method)"
        )
    }

    public static func invalidParams(_ reason: String) -> RPCError {
        RPCError(code: .invalidParams, message: "Invalid params", errorCode: "GW_INVALID_PARAMS", detail: reason)
    }

    public static let forbidden = RPCError(
        code: .forbidden, message: "Forbidden", errorCode: "GW_FORBIDDEN", detail: "this peer may not call this method"
    )

    public static let internalFailure = RPCError(
        code: .internalFailure, message: "Internal error", errorCode: "GW_INTERNAL", detail: "internal error"
    )

    public static func unavailable(_ reason: String) -> RPCError {
        RPCError(code: .unavailable, message: "Unavailable", errorCode: "GW_UNAVAILABLE", detail: reason)
    }
}

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
