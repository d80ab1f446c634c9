import GatewayJSON

/// The `error` member of a response: `{code, message, data: {errorCode, message}}` (SPEC 3).
package struct RPCError: Error, Sendable, Equatable {
    package var code: RPCErrorCode
    package var message: String
    /// MOSIP's code (`PMS_ESI_001`, ...) or one of ours (`GW_...`).
    package var errorCode: String
    /// MOSIP's text where MOSIP has one, else ours.
    package var detail: String

    package init(code: RPCErrorCode, message: String, errorCode: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.errorCode = errorCode
        self.detail = detail ?? message
    }

    package var json: JSONValue {
        [
            "code": JSONValue(code.rawValue),
            "message": .string(message),
            "data": ["errorCode": .string(errorCode), "message": .string(detail)],
        ]
    }
}

extension RPCError {
    package static func parseError(_ reason: String) -> RPCError {
        RPCError(code: .parseError, message: "Parse error", errorCode: "GW_PARSE_ERROR", detail: reason)
    }

    package static func invalidRequest(_ reason: String) -> RPCError {
        RPCError(code: .invalidRequest, message: "Invalid Request", errorCode: "GW_INVALID_REQUEST", detail: reason)
    }

    package static func requestTooLarge(limit: Int) -> RPCError {
        RPCError(
            code: .invalidRequest, message: "Invalid Request", errorCode: "GW_REQUEST_TOO_LARGE",
            detail: "request line exceeds \(limit) bytes"
        )
    }

    package static func batchTooLarge(limit: Int) -> RPCError {
        RPCError(
            code: .invalidRequest, message: "Invalid Request", errorCode: "GW_BATCH_TOO_LARGE",
            detail: "batch exceeds \(limit) entries"
        )
    }

    package static func responseTooLarge(limit: Int) -> RPCError {
        RPCError(
            code: .invalidRequest, message: "Invalid Request", errorCode: "GW_RESPONSE_TOO_LARGE",
            detail: "the batch's replies exceed \(limit) bytes"
        )
    }

    package static func methodNotFound(_ method: String) -> RPCError {
        RPCError(
            code: .methodNotFound, message: "Method not found", errorCode: "GW_METHOD_NOT_FOUND",
            detail: "no method named \(method)"
        )
    }

    package static func invalidParams(_ reason: String) -> RPCError {
        RPCError(code: .invalidParams, message: "Invalid params", errorCode: "GW_INVALID_PARAMS", detail: reason)
    }

    package static let forbidden = RPCError(
        code: .forbidden, message: "Forbidden", errorCode: "GW_FORBIDDEN", detail: "this peer may not call this method"
    )

    package static let internalFailure = RPCError(
        code: .internalFailure, message: "Internal error", errorCode: "GW_INTERNAL", detail: "internal error"
    )

    package static func unavailable(_ reason: String) -> RPCError {
        RPCError(code: .unavailable, message: "Unavailable", errorCode: "GW_UNAVAILABLE", detail: reason)
    }
}

/// A JSON-RPC error code. A struct rather than an enum so adding a code never breaks a caller.
package struct RPCErrorCode: RawRepresentable, Sendable, Hashable {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }

    package static let parseError = RPCErrorCode(rawValue: -32700)
    package static let invalidRequest = RPCErrorCode(rawValue: -32600)
    package static let methodNotFound = RPCErrorCode(rawValue: -32601)
    package static let invalidParams = RPCErrorCode(rawValue: -32602)
    package static let internalFailure = RPCErrorCode(rawValue: -32603)
    package static let notFound = RPCErrorCode(rawValue: -32001)
    package static let conflict = RPCErrorCode(rawValue: -32002)
    package static let refused = RPCErrorCode(rawValue: -32003)
    package static let forbidden = RPCErrorCode(rawValue: -32010)
    package static let unavailable = RPCErrorCode(rawValue: -32011)
    /// eSignet refused the client (SPEC 7.3); `data` carries eSignet's own code and message.
    package static let esignetRejected = RPCErrorCode(rawValue: -32012)
}
