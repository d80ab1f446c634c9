import GatewayServices
import GatewayStore
import GatewayTestSupport
import JSONRPC
import Testing

@testable import GatewayDaemon
@testable import GatewayDelivery

/// SPEC 3: the one place where domain and storage errors become JSON-RPC errors.
@Suite struct ErrorMappingTests {
    let logs = LogCapture()
    var mapping: ErrorMapping { ErrorMapping(logger: logs.logger) }

    @Test(
        arguments: [
            (GatewayError.Kind.invalidParams, -32602, "Invalid params"), (.notFound, -32001, "Not found"),
            (.conflict, -32002, "Conflict"), (.refused, -32003, "Refused"), (.unavailable, -32011, "Unavailable"),
        ] as [(GatewayError.Kind, Int, String)])
    func eachGatewayErrorKindHasItsCode(kind: GatewayError.Kind, code: Int, message: String) {
        let error = mapping.rpcError(for: GatewayError(kind, "PMS_TEST_001", "what went wrong"))
        #expect(error.code.rawValue == code)
        #expect(error.message == message)
        #expect(error.errorCode == "PMS_TEST_001", "MOSIP's code is kept")
        #expect(error.detail == "what went wrong", "MOSIP's text is kept")
        #expect(logs.entries.isEmpty, "a domain error is the caller's, not a log line")
    }

    @Test func anRPCErrorPassesThroughUnchanged() {
        #expect(mapping.rpcError(for: RPCError.forbidden) == .forbidden)
        #expect(mapping.rpcError(for: RPCError.invalidParams("x")) == .invalidParams("x"))
    }

    @Test(arguments: [
        StoreError(.unavailable, "disk I/O error at /secret/path"), StoreError(.closed, "the store is closed"),
    ])
    func unavailableStorageIsMinus32011AndLogged(storeError: StoreError) {
        let error = mapping.rpcError(for: storeError)
        #expect(error.code.rawValue == -32011)
        #expect(error.errorCode == "GW_UNAVAILABLE")
        #expect(error.detail == "storage is unavailable; the change was not made")
        #expect(!error.detail.contains("/secret/path"))
        #expect(logs.lines.count == 1)
        #expect(logs.text.contains(storeError.message), "the details are in the log")
    }

    struct Unexpected: Error, CustomStringConvertible {
        var description: String { "row 42 of table licenses: key LK-1234" }
    }

    @Test(arguments: [
        Unexpected() as any Error, StoreError(.constraint, "UNIQUE constraint failed: licenses.key"),
        StoreError(.corrupt, "database disk image is malformed"),
    ])
    func anythingElseIsAnInternalErrorWithoutDetails(error: any Error) {
        let mapped = mapping.rpcError(for: error)
        #expect(mapped == .internalFailure)
        #expect(mapped.code.rawValue == -32603)
        #expect(mapped.detail == "internal error")
        #expect(!"\(mapped.json.serialized())".contains("licenses"), "no details reach the client")
        #expect(logs.text.contains("\(error)"), "they stay in the log")
    }
}
