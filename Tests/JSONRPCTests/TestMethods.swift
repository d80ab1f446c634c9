import GatewayJSON
import GatewayTestSupport
import JSONRPC
import Synchronization

/// Who is calling, as the daemon's context would say it.
struct Caller: Sendable {
    var mayCallSecrets = false
}

struct Refusal: Error {}

/// A method table of test methods, and a record of which ones ran.
final class TestMethods: Sendable {
    private let runs = Mutex<[String]>([])

    /// The methods run so far (with their `n` param, when there is one), in order.
    var ran: [String] { runs.withLock { $0 } }

    private func record(_ method: String, _ params: JSONObject) {
        runs.withLock { $0.append(params["n"].map { "\(method) \($0.serialized())" } ?? method) }
    }

    var table: MethodTable<Caller> {
        var table = MethodTable<Caller>()
        table.register(
            MethodDescriptor(
                Echo.self,
                immediate: { [self] params, _ in
                    record("echo", params)
                    return .object(params)
                }))
        table.register(
            MethodDescriptor(
                SlowEcho.self,
                deferred: { [self] params, _ in
                    record("slow.echo", params)
                    await Task.yield()
                    return .object(params)
                }))
        table.register(
            MethodDescriptor(
                Blob.self,
                immediate: { [self] params, _ in
                    record("blob", params)
                    return ["blob": .string(String(repeating: "b", count: params["size"]?.intValue ?? 0))]
                }))
        table.register(
            MethodDescriptor(
                Refuse.self,
                immediate: { [self] params, _ in
                    record("refuse", params)
                    throw Refusal()
                }))
        table.register(
            MethodDescriptor(
                Secret.self,
                immediate: { [self] params, _ in
                    record("secret", params)
                    return [:]
                }))
        table.register(
            MethodDescriptor(
                SerializedEcho.self,
                serializedImmediate: { [self] params, _ in
                    record("serialized.echo", params)
                    return SerializedJSON(.object(params))
                }))
        return table
    }

    /// A processor over ``table``: `secret` needs `mayCallSecrets`; a `Refusal` becomes -32003.
    func processor(maxBatch: Int = 10, maxResponseBytes: Int = 16 << 20) -> RPCProcessor<Caller> {
        RPCProcessor(
            table: table, limits: .init(maxBatch: maxBatch, maxResponseBytes: maxResponseBytes),
            authorize: { method, caller in method != "secret" || caller.mayCallSecrets },
            mapError: { error in
                error is Refusal
                    ? RPCError(code: .refused, message: "Refused", errorCode: "TEST_REFUSED") : .internalFailure
            })
    }
}

extension RPCProcessor where Context == Caller {
    /// The reply to `line` (nil when none is sent) and whether it was computed at once.
    func reply(to line: String, caller: Caller = Caller()) async throws -> (reply: String?, immediate: Bool) {
        switch handle(line: Array(line.utf8), context: { _ in caller }) {
        case .immediate(let bytes): return (bytes.map { String(decoding: $0, as: UTF8.self) }, true)
        case .deferred(let work), .suspending(let work):
            return (await work().map { String(decoding: $0, as: UTF8.self) }, false)
        }
    }

    /// The parsed reply to `line`; fails the test when there is none.
    func json(_ line: String, caller: Caller = Caller()) async throws -> JSONValue {
        guard let reply = try await reply(to: line, caller: caller).reply else {
            throw TestFailure("no reply to \(line)")
        }
        return try JSONValue.parse(reply)
    }
}

extension JSONValue {
    var errorCode: Int? { self["error"]?["code"]?.intValue }
    var errorName: String? { self["error"]?["data"]?["errorCode"]?.stringValue }
}

/// `{"jsonrpc":"2.0","id":ID,"method":METHOD[,"params":PARAMS]}`, `id` as raw JSON text (nil: none).
func request(_ method: String, id: String? = "1", params: String? = nil) -> String {
    let idPart = id.map { #""id":\#($0),"# } ?? ""
    let paramsPart = params.map { #","params":\#($0)"# } ?? ""
    return #"{"jsonrpc":"2.0",\#(idPart)"method":"\#(method)"\#(paramsPart)}"#
}

/// Test methods whose params and result are plain JSON: the processor's rules are what is tested.
protocol PassThroughMethod: RPCMethod where Params == JSONObject, Response == JSONValue {}

extension PassThroughMethod {
    static func decode(_ params: JSONObject) throws -> JSONObject { params }
    static func encode(_ response: JSONValue) -> JSONValue { response }
}

enum Echo: PassThroughMethod {
    static let name = "echo"
    static let summary = "Returns its params."
    static let params: [ParamDescriptor] = [.integer("n", required: false)]
    static let result = ["n"]
}

enum SerializedEcho: PassThroughMethod {
    static let name = "serialized.echo"
    static let summary = "Returns its params, serialized by the handler."
    static let result = ["n"]
}

enum SlowEcho: PassThroughMethod {
    static let name = "slow.echo"
    static let summary = "Returns its params, from a task."
    static let result = ["n"]
}

enum Blob: PassThroughMethod {
    static let name = "blob"
    static let summary = "A string of `size` bytes."
    static let params: [ParamDescriptor] = [.integer("size")]
    static let result = ["blob"]
}

enum Refuse: PassThroughMethod {
    static let name = "refuse"
    static let summary = "Always throws."
    static let result: [String] = []
}

enum Secret: PassThroughMethod {
    static let name = "secret"
    static let summary = "Only for callers that may."
    static let result: [String] = []
}
