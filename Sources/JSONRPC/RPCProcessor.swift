import GatewayJSON

/// Turns one NDJSON line into its response line: parsing, batches, limits, dispatch.
///
/// It owns every JSON-RPC rule of SPEC 2 that does not depend on the transport. The transport
/// hands it complete lines; what a method means is the table's business; `authorize` and
/// `mapError` are the daemon's (access rules, and the one place domain errors become codes).
package struct RPCProcessor<Context: Sendable>: Sendable {
    /// SPEC 2's limits on what one line may ask and what its reply may take.
    package struct Limits: Sendable {
        package var maxBatch: Int
        package var maxDepth = 64
        /// The longest batch reply line; entries past it are answered `GW_RESPONSE_TOO_LARGE`.
        package var maxResponseBytes = 16 << 20

        package init(maxBatch: Int, maxResponseBytes: Int = 16 << 20) {
            self.maxBatch = maxBatch
            self.maxResponseBytes = maxResponseBytes
        }
    }

    package let table: MethodTable<Context>
    package let limits: Limits
    /// Returns false when the peer may not call the method.
    package let authorize: @Sendable (String, Context) -> Bool
    package let mapError: @Sendable (any Error) -> RPCError
    /// Told of every dispatched call once it has its outcome (the daemon's metrics).
    package let observe: @Sendable (RPCCallRecord) -> Void

    package init(
        table: MethodTable<Context>, limits: Limits, authorize: @escaping @Sendable (String, Context) -> Bool,
        mapError: @escaping @Sendable (any Error) -> RPCError,
        observe: @escaping @Sendable (RPCCallRecord) -> Void = { _ in }
    ) {
        (self.table, self.limits, self.authorize, self.mapError, self.observe) =
            (table, limits, authorize, mapError, observe)
    }

    /// The answer to one line: computed now when every request in it is immediate (or invalid),
    /// otherwise a deferred computation. `nil` replies mean nothing is sent (notifications).
    package func handle(line: some Collection<UInt8>, context: @escaping @Sendable (RPCRequest) -> Context)
        -> RPCOutcome
    {
        let message: JSONValue
        do {
            message = try JSONValue.parse(line, maxDepth: limits.maxDepth)
        } catch {
            return .immediate(RPCResponse.line(RPCResponse.failure(id: .null, error: .parseError(error.description))))
        }
        guard case .array(let entries) = message else {
            let decoded = RPCMessage(message)
            if canAnswerImmediately(decoded) {
                return .immediate(RPCResponse.line(ifAny: respondImmediately(to: decoded, context: context)))
            }
            return later(neverBlocking: neverBlocks(decoded)) {
                RPCResponse.line(ifAny: await respond(to: decoded, context: context))
            }
        }
        if entries.isEmpty {
            return .immediate(RPCResponse.line(RPCResponse.failure(id: .null, error: .invalidRequest("empty batch"))))
        }
        if entries.count > limits.maxBatch {
            return .immediate(
                RPCResponse.line(RPCResponse.failure(id: .null, error: .batchTooLarge(limit: limits.maxBatch))))
        }
        let decoded = entries.map(RPCMessage.init)
        if decoded.allSatisfy(canAnswerImmediately) {
            var line = BatchLine(maxBytes: limits.maxResponseBytes)
            for entry in decoded {
                if line.isFull {
                    line.refuse(entry)
                } else {
                    line.append(respondImmediately(to: entry, context: context), for: entry)
                }
            }
            return .immediate(line.bytes)
        }
        return later(neverBlocking: decoded.allSatisfy(neverBlocks)) {
            var line = BatchLine(maxBytes: limits.maxResponseBytes)
            for entry in decoded {
                if line.isFull {
                    line.refuse(entry)
                } else {
                    line.append(await respond(to: entry, context: context), for: entry)
                }
            }
            return line.bytes
        }
    }

    /// Invalid requests, unknown methods and immediate methods need no task.
    private func canAnswerImmediately(_ decoded: RPCMessage) -> Bool {
        method(of: decoded)?.isImmediate ?? true
    }

    /// Whether answering `decoded` never blocks a thread (see ``MethodDescriptor/neverBlocks``);
    /// an invalid request or an unknown method is answered without running anything.
    private func neverBlocks(_ decoded: RPCMessage) -> Bool {
        method(of: decoded)?.neverBlocks ?? true
    }

    /// The method a valid request names, if the table has it.
    private func method(of decoded: RPCMessage) -> MethodDescriptor<Context>? {
        guard case .request(let request) = decoded else { return nil }
        return table[request.method]
    }

    private func later(neverBlocking: Bool, _ work: @escaping @Sendable () async -> [UInt8]?) -> RPCOutcome {
        neverBlocking ? .suspending(work) : .deferred(work)
    }

    /// The reply's bytes (one response object, no newline), or nil when none is sent.
    private func respondImmediately(to decoded: RPCMessage, context: (RPCRequest) -> Context) -> [UInt8]? {
        guard case .request(let request) = decoded else { return decoded.undispatchedReply?.serializedBytes() }
        return reply(to: request, outcome: dispatchImmediately(request, context: context(request)))
    }

    private func respond(to decoded: RPCMessage, context: (RPCRequest) -> Context) async -> [UInt8]? {
        guard case .request(let request) = decoded else { return decoded.undispatchedReply?.serializedBytes() }
        return reply(to: request, outcome: await dispatch(request, context: context(request)))
    }

    private func reply(to request: RPCRequest, outcome: Result<RPCResult, RPCError>) -> [UInt8]? {
        guard let id = request.id else { return nil }
        switch outcome {
        case .success(let result): return RPCResponse.success(id: id, result: result)
        case .failure(let error): return RPCResponse.failure(id: id, error: error).serializedBytes()
        }
    }

    /// Whether the method exists and the peer may call it, shared by both paths.
    private func checked(_ method: MethodDescriptor<Context>?, _ request: RPCRequest, context: Context)
        -> Result<MethodDescriptor<Context>, RPCError>
    {
        guard let method else { return .failure(.methodNotFound(request.method)) }
        guard authorize(request.method, context) else { return .failure(.forbidden) }
        return .success(method)
    }

    private func dispatchImmediately(_ request: RPCRequest, context: Context) -> Result<RPCResult, RPCError> {
        let started = ContinuousClock.now
        let method = table[request.method]
        let outcome = runImmediately(method, request, context: context)
        observe(RPCCallRecord(request: request, known: method != nil, outcome: outcome, since: started))
        return outcome
    }

    private func runImmediately(_ method: MethodDescriptor<Context>?, _ request: RPCRequest, context: Context)
        -> Result<RPCResult, RPCError>
    {
        switch checked(method, request, context: context) {
        case .failure(let error):
            return .failure(error)
        case .success(let method):
            guard case .immediate(let handler) = method.execution else { return .failure(.internalFailure) }
            do {
                return .success(try handler(request.params, context))
            } catch {
                return .failure(mapError(error))
            }
        }
    }

    /// Runs one request through access control and its handler, whatever its execution.
    private func dispatch(_ request: RPCRequest, context: Context) async -> Result<RPCResult, RPCError> {
        let started = ContinuousClock.now
        let method = table[request.method]
        let outcome = await run(method, request, context: context)
        observe(RPCCallRecord(request: request, known: method != nil, outcome: outcome, since: started))
        return outcome
    }

    private func run(_ method: MethodDescriptor<Context>?, _ request: RPCRequest, context: Context) async
        -> Result<RPCResult, RPCError>
    {
        switch checked(method, request, context: context) {
        case .failure(let error):
            return .failure(error)
        case .success(let method):
            do {
                switch method.execution {
                case .immediate(let handler): return .success(try handler(request.params, context))
                case .deferred(let handler), .suspending(let handler):
                    return .success(try await handler(request.params, context))
                }
            } catch {
                return .failure(mapError(error))
            }
        }
    }
}

/// One dispatched call, as the metrics count it.
package struct RPCCallRecord: Sendable {
    /// The method's name; nil for a name the table does not know (a label must not take
    /// whatever a caller sends).
    package var method: String?
    /// Nil when the call succeeded.
    package var errorCode: String?
    package var duration: Duration

    init(request: RPCRequest, known: Bool, outcome: Result<RPCResult, RPCError>, since started: ContinuousClock.Instant)
    {
        method = known ? request.method : nil
        if case .failure(let error) = outcome { errorCode = error.errorCode }
        duration = ContinuousClock.now - started
    }
}

/// How a line is answered: now, or by a computation to run off the caller's thread.
package enum RPCOutcome: Sendable {
    case immediate([UInt8]?)
    case deferred(@Sendable () async -> [UInt8]?)
    /// A computation that never blocks its thread: it may run on the caller's event loop.
    case suspending(@Sendable () async -> [UInt8]?)
}

/// A batch's reply line, built entry by entry under `server.maxResponseBytes` (SPEC 2).
///
/// Once an entry's reply would take the line past the limit, that entry and every later one are
/// answered `GW_RESPONSE_TOO_LARGE`, and the later ones are not run at all: nobody would see
/// their results, and a batch of large reads must not hold memory and the event loop for them.
/// (The entry that crossed the limit has run; only reads have replies that large.)
struct BatchLine {
    let maxBytes: Int
    private var entries: [[UInt8]] = []
    /// `[`, `]`, the newline and the commas so far.
    private var length = 3
    private(set) var isFull = false

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    mutating func append(_ reply: [UInt8]?, for entry: RPCMessage) {
        guard let bytes = reply else { return }
        let added = bytes.count + (entries.isEmpty ? 0 : 1)
        guard length + added <= maxBytes else {
            isFull = true
            refuse(entry)
            return
        }
        entries.append(bytes)
        length += added
    }

    /// Answers `entry` with `GW_RESPONSE_TOO_LARGE` without running it (notifications get nothing).
    mutating func refuse(_ entry: RPCMessage) {
        guard let id = entry.replyID else { return }
        let bytes = RPCResponse.failure(id: id, error: .responseTooLarge(limit: maxBytes)).serializedBytes()
        length += bytes.count + (entries.isEmpty ? 0 : 1)
        entries.append(bytes)
    }

    /// The whole line, or `nil` when no entry has a reply (all notifications).
    var bytes: [UInt8]? {
        guard !entries.isEmpty else { return nil }
        var line: [UInt8] = [UInt8(ascii: "[")]
        line.reserveCapacity(length)
        for (index, entry) in entries.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            line.append(contentsOf: entry)
        }
        line.append(contentsOf: [UInt8(ascii: "]"), UInt8(ascii: "\n")])
        return line
    }
}
