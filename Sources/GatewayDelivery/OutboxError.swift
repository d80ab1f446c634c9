/// Why `outbox.list` or `outbox.retry` refused a call.
///
/// GatewayDelivery does not depend on GatewayServices, so this is its own small error; the
/// daemon's `ErrorMapping` turns it into the JSON-RPC error (SPEC 3) in the same one place as
/// every other: `.invalidParams` → -32602, `.notFound` → -32001, `.notFailed` → -32002.
public struct OutboxError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable {
        private let name: String
        /// A parameter is missing, of the wrong type or out of range (`PMS_COR_001` wording).
        public static let invalidParams = Code(name: "invalidParams")
        /// No outbox row has this seq (`GW_NOT_FOUND`).
        public static let notFound = Code(name: "notFound")
        /// `outbox.retry` on a row that is not `failed` (`GW_OUTBOX_NOT_FAILED`).
        public static let notFailed = Code(name: "notFailed")
    }

    public let code: Code
    /// The `data.errorCode` of the JSON-RPC error.
    public let errorCode: String
    /// The `data.message` of the JSON-RPC error.
    public let message: String

    init(_ code: Code, _ errorCode: String, _ message: String) {
        self.code = code
        self.errorCode = errorCode
        self.message = message
    }

    static func invalidParameter(_ field: String, _ reason: String) -> OutboxError {
        OutboxError(.invalidParams, "PMS_COR_001", "Invalid request parameter - \(reason) :request.\(field)")
    }

    public var description: String { "\(errorCode): \(message)" }
}
