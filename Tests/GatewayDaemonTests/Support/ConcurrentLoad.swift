import Foundation
import GatewayJSON

/// Drives a daemon from several threads, each with its own connection, recording what was
/// acknowledged. Stops on the first connection error (the daemon was killed) or after `perClient`.
final class ConcurrentLoad: @unchecked Sendable {
    // @unchecked: `acknowledged` and `failures` are only touched under `lock`.
    private let lock = NSLock()
    private var acknowledgedKeys: [String] = []
    private var failedResponses: [String] = []

    /// The keys of the calls acknowledged so far, in order.
    var acknowledged: [String] { lock.withLock { acknowledgedKeys } }
    /// The responses that were errors.
    var failures: [String] { lock.withLock { failedResponses } }

    func run(
        socket: String, clients: Int, perClient: Int,
        request: @escaping @Sendable (Int, Int) -> (method: String, params: JSONValue, key: String)
    ) {
        DispatchQueue.concurrentPerform(iterations: clients) { clientIndex in
            guard let client = try? RPCClient(path: socket) else { return }
            for index in 0..<perClient {
                let call = request(clientIndex, index)
                guard let response = try? client.request(call.method, call.params) else { return }
                lock.withLock {
                    if response["result"] != nil {
                        acknowledgedKeys.append(call.key)
                    } else {
                        failedResponses.append(response.serialized())
                    }
                }
            }
        }
    }
}
