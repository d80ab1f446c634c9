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

    /// The response line for `line`, or `nil` when nothing is to be sent (notifications).
    public func process(line: some Collection<UInt8>, context: (RPCRequest) -> Context) async -> [UInt8]? {
        let message: JSONValue
        do {
            message = try JSONValue.parse(line, maxDepth: maxDepth)
        } catch {
            return RPCResponse.line(RPCResponse.failure(id: .null, error: .parseError(error.description)))
        }
        guard case .array(let entries) = message else {
            return await respond(to: RPCDecoded(message), context: context).map(RPCResponse.line)
        }
        if entries.isEmpty {
            return RPCResponse.line(RPCResponse.failure(id: .null, error: .invalidRequest("empty batch")))
        }
        if entries.count > maxBatch {
            return RPCResponse.line(RPCResponse.failure(id: .null, error: .batchTooLarge(limit: maxBatch)))
        }
        var replies: [JSONValue] = []
        for entry in entries {
            if let reply = await respond(to: RPCDecoded(entry), context: context) { replies.append(reply) }
        }
        return replies.isEmpty ? nil : RPCResponse.line(.array(replies))
    }

    private func respond(to decoded: RPCDecoded, context: (RPCRequest) -> Context) async -> JSONValue? {
        switch decoded {
        case .invalid(let id, let error):
            return RPCResponse.failure(id: id, error: error)
        case .failedNotification:
            return nil
        case .request(let request):
            let outcome = await dispatch(request, context: context(request))
            guard let id = request.id else { return nil }
            switch outcome {
            case .success(let result): return RPCResponse.success(id: id, result: result)
            case .failure(let error): return RPCResponse.failure(id: id, error: error)
            }
        }
    }

    /// Runs one request through access control and its handler.
    public func dispatch(_ request: RPCRequest, context: Context) async -> Result<JSONValue, RPCError> {
        guard let method = table[request.method] else { return .failure(.methodNotFound(request.method)) }
        guard authorize(request.method, context) else { return .failure(.forbidden) }
        do {
            return .success(try await method.handler(request.params, context))
        } catch {
            return .failure(mapError(error))
        }
    }
}
