import Foundation
import GatewayJSON
import GatewayTestSupport

/// Writers on threads of their own, each with its own connection to a daemon: real concurrency
/// on any number of cores (`DispatchQueue.concurrentPerform` runs only as many at once as there
/// are cores, and these tests run on two).
///
/// Each writer sends `request(writer, index)` for index 0, 1, ... until `calls` are done or
/// ``stop()``; a writer whose connection fails (its daemon was killed) ends there. Acknowledged
/// calls are recorded by key, errors by their reply.
final class Writers: @unchecked Sendable {
    // @unchecked: the arrays and `stopped` are only touched under `lock`.
    private let lock = NSLock()
    private var acknowledgedKeys: [String] = []
    private var errorReplies: [JSONValue] = []
    private var stopped = false
    private var threads: [Thread] = []

    /// The keys of the calls acknowledged so far, in order.
    var acknowledged: [String] { lock.withLock { acknowledgedKeys } }
    /// The `error` members of the replies that were errors.
    var errors: [JSONValue] { lock.withLock { errorReplies } }

    init(
        socket: String, writers: Int, calls: Int = .max,
        request: @escaping @Sendable (_ writer: Int, _ index: Int) -> (method: String, params: JSONValue, key: String)
    ) {
        for writer in 0..<writers {
            threads.append(
                Thread { [self] in
                    guard let client = try? RPCClient(path: socket) else { return }
                    for index in 0..<calls {
                        if lock.withLock({ stopped }) { return }
                        let call = request(writer, index)
                        guard let response = try? client.request(call.method, call.params) else { return }
                        lock.withLock {
                            if response["result"] != nil {
                                acknowledgedKeys.append(call.key)
                            } else {
                                errorReplies.append(response["error"] ?? response)
                            }
                        }
                    }
                })
        }
        for thread in threads { thread.start() }
    }

    /// Tells every writer to end after its current call.
    func stop() {
        lock.withLock { stopped = true }
    }

    /// Whether every writer has ended within `timeout`.
    func waitUntilFinished(timeout: Duration = .seconds(30)) -> Bool {
        Poll.until(timeout: timeout) { threads.allSatisfy(\.isFinished) }
    }
}
