import GatewayServices
import GatewayStore
import JSONRPC
import Logging

/// The one place where domain and storage errors become JSON-RPC errors (SPEC 3).
struct ErrorMapping: Sendable {
    let logger: Logger

    func rpcError(for error: any Error) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case let error as GatewayError:
            return RPCError(
                code: Self.code(for: error.kind), message: Self.message(for: error.kind),
                errorCode: error.errorCode, detail: error.message)
        case let error as StoreError where error.isTransient:
            logger.error("storage unavailable", metadata: ["error": "\(error)"])
            return .unavailable("storage is unavailable; the change was not made")
        default:
            // Details stay in the log: a client sees only that something internal failed.
            logger.error("internal error", metadata: ["error": "\(error)"])
            return .internalFailure
        }
    }

    private static func code(for kind: GatewayError.Kind) -> RPCErrorCode {
        switch kind {
        case .invalidParams: .invalidParams
        case .notFound: .notFound
        case .conflict: .conflict
        case .refused: .refused
        case .esignetRejected: .esignetRejected
        default: .unavailable
        }
    }

    private static func message(for kind: GatewayError.Kind) -> String {
        switch kind {
        case .invalidParams: "Invalid params"
        case .notFound: "Not found"
        case .conflict: "Conflict"
        case .refused: "Refused"
        case .esignetRejected: "eSignet rejected the client"
        default: "Unavailable"
        }
    }
}

extension StoreError {
    /// Storage that is away for now (a full disk, a PostgreSQL server down or refusing this login,
    /// a store shutting down): -32011, and a later call may succeed.
    var isTransient: Bool {
        switch code {
        case .unavailable, .closed, .configuration: true
        default: false
        }
    }
}
