import GatewayJSON

/// Turns one NDJSON line into its response line: parsing, batches, limits, dispatch.
///
/// It owns every JSON-RPC rule of SPEC 2 that does not depend on the transport. The transport
/// hands it complete lines; what a method means is the table's business; `authorize` and
/// `mapError` are the daemon's (access rules, and the one place domain errors become codes).
public struct RPCProcessor<Context: Sendable>: Sendable {
    public let table: MethodTable<Context>
    public let maxBatch: Int
    public let maxDepth: Int
    /// Returns false when the peer may not call the method.
    public let authorize: @Sendable (String, Context) -> Bool
    public let mapError: @Sendable (any Error) -> RPCError

    public init(
        table: MethodTable<Context>, maxBatch: Int, maxDepth: Int = 64,
        authorize: @escaping @Sendable (String, Context) -> Bool,
        mapError: @escaping @Sendable (any Error) -> RPCError
    ) {
        self.table = table
        self.maxBatch = maxBatch
        self.maxDepth = maxDepth
        self.authorize = authorize
        self.mapError = mapError
    }

    /// The answer to one line: computed now when every request in it is immediate (or invalid),
    /// otherwise a deferred computation. `nil` replies mean nothing is sent (notifications).
    public func handle(line: some Collection<UInt8>, context: @escaping @Sendable (RPCRequest) -> Context) -> RPCOutcome
    {
        let message: JSONValue
        do {
            message = try JSONValue.parse(line, maxDepth: maxDepth)
        } catch {
            return .immediate(RPCResponse.line(RPCResponse.failure(id: .null, error: .parseError(error.description))))
        }
        guard case .array(let entries) = message else {
            let decoded = RPCDecoded(message)
            if canAnswerImmediately(decoded) {
                return .immediate(respondImmediately(to: decoded, context: context).map(RPCResponse.line))
            }
            return .deferred { await respond(to: decoded, context: context).map(RPCResponse.line) }
        }
        if entries.isEmpty {
            return .immediate(RPCResponse.line(RPCResponse.failure(id: .null, error: .invalidRequest("empty batch"))))
        }
        if entries.count > maxBatch {
            return .immediate(RPCResponse.line(RPCResponse.failure(id: .null, error: .batchTooLarge(limit: maxBatch))))
        }
        let decoded = entries.map(RPCDecoded.init)
        if decoded.allSatisfy(canAnswerImmediately) {
            return .immediate(Self.batchLine(decoded.compactMap { respondImmediately(to: $0, context: context) }))
        }
        return .deferred {
            var replies: [JSONValue] = []
            for entry in decoded {
                if let reply = await respond(to: entry, context: context) { replies.append(reply) }
            }
            return Self.batchLine(replies)
        }
    }

    private static func batchLine(_ replies: [JSONValue]) -> [UInt8]? {
        replies.isEmpty ? nil : RPCResponse.line(.array(replies))
    }

    /// Invalid requests, unknown methods and immediate methods need no task.
    private func canAnswerImmediately(_ decoded: RPCDecoded) -> Bool {
        guard case .request(let request) = decoded, let method = table[request.method] else { return true }
        return method.isImmediate
    }

    private func respondImmediately(to decoded: RPCDecoded, context: (RPCRequest) -> Context) -> JSONValue? {
        switch decoded {
        case .invalid(let id, let error):
            return RPCResponse.failure(id: id, error: error)
        case .failedNotification:
            return nil
        case .request(let request):
            return reply(to: request, outcome: dispatchImmediately(request, context: context(request)))
        }
    }

    private func respond(to decoded: RPCDecoded, context: (RPCRequest) -> Context) async -> JSONValue? {
        switch decoded {
        case .invalid(let id, let error):
            return RPCResponse.failure(id: id, error: error)
        case .failedNotification:
            return nil
        case .request(let request):
            return reply(to: request, outcome: await dispatch(request, context: context(request)))
        }
    }

    private func reply(to request: RPCRequest, outcome: Result<JSONValue, RPCError>) -> JSONValue? {
        guard let id = request.id else { return nil }
        switch outcome {
        case .success(let result): return RPCResponse.success(id: id, result: result)
        case .failure(let error): return RPCResponse.failure(id: id, error: error)
        }
    }

    /// Access control and lookup, shared by both paths.
    private func method(for request: RPCRequest, context: Context) -> Result<MethodDescriptor<Context>, RPCError> {
        guard let method = table[request.method] else { return .failure(.methodNotFound(request.method)) }
        guard authorize(request.method, context) else { return .failure(.forbidden) }
        return .success(method)
    }

    private func dispatchImmediately(_ request: RPCRequest, context: Context) -> Result<JSONValue, RPCError> {
        switch method(for: request, context: context) {
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
    private func dispatch(_ request: RPCRequest, context: Context) async -> Result<JSONValue, RPCError> {
        switch method(for: request, context: context) {
        case .failure(let error):
            return .failure(error)
        case .success(let method):
            do {
                switch method.execution {
                case .immediate(let handler): return .success(try handler(request.params, context))
                case .deferred(let handler): return .success(try await handler(request.params, context))
                }
            } catch {
                return .failure(mapError(error))
            }
        }
    }
}

/// How a line is answered: now, or by a computation to run off the caller's thread.
public enum RPCOutcome: Sendable {
    case immediate([UInt8]?)
    case deferred(@Sendable () async -> [UInt8]?)
}
