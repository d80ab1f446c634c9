import GatewayJSON

/// One parameter as documented in the OpenRPC document.
package struct ParamDescriptor: Sendable {
    package let name: String
    package let required: Bool
    /// A JSON Schema fragment.
    package let schema: JSONValue

    package init(_ name: String, required: Bool = true, schema: JSONValue) {
        self.name = name
        self.required = required
        self.schema = schema
    }

    package static func string(_ name: String, required: Bool = true) -> ParamDescriptor {
        ParamDescriptor(name, required: required, schema: ["type": "string"])
    }

    package static func integer(_ name: String, required: Bool = true) -> ParamDescriptor {
        ParamDescriptor(name, required: required, schema: ["type": "integer"])
    }

    package static func object(_ name: String, required: Bool = true) -> ParamDescriptor {
        ParamDescriptor(name, required: required, schema: ["type": "object"])
    }

    package static func strings(_ name: String, required: Bool = true) -> ParamDescriptor {
        ParamDescriptor(name, required: required, schema: ["type": "array", "items": ["type": "string"]])
    }
}

/// A method the router dispatches on, with everything the OpenRPC document says about it.
/// Dispatch and documentation read the same value, so they cannot drift apart.
///
/// A class, not a struct: every call looks its method up, and a struct of names, arrays and
/// closures would be copied out of the table, a retain and a release per field, each time.
package final class MethodDescriptor<Context: Sendable>: Sendable {
    package typealias ImmediateHandler = @Sendable (JSONObject, Context) throws -> RPCResult
    package typealias DeferredHandler = @Sendable (JSONObject, Context) async throws -> RPCResult

    /// How a handler runs. Short reads answer on the connection's event loop (`immediate`), which
    /// is what keeps eSignet's and IDA's hot paths fast; anything that waits (a commit, a long
    /// scan) is `deferred` to a task.
    package enum Execution: Sendable {
        case immediate(ImmediateHandler)
        case deferred(DeferredHandler)
        /// A handler that waits without ever blocking its thread (a lookup whose row comes from
        /// the network, a write waiting for its commit): it may run as a task on the caller's
        /// event loop.
        case suspending(DeferredHandler)
    }

    package let name: String
    package let summary: String
    package let params: [ParamDescriptor]
    /// Names of the members of the result object.
    package let resultMembers: [String]
    package let execution: Execution
    /// An immediate method's answer for a store whose reads wait on the network, computed without
    /// holding a thread meanwhile; nil where only the immediate form exists.
    let withoutBlocking: DeferredHandler?

    /// A method answered on the caller's event loop (short reads).
    ///
    /// `withoutBlocking` is the same answer for a store whose reads wait on the network (see
    /// ``offloadingImmediate(_:)``): a hot lookup that can wait for its row without a thread.
    package convenience init<Method: RPCMethod>(
        _ method: Method.Type,
        immediate handler: @escaping @Sendable (Method.Params, Context) throws -> Method.Response,
        withoutBlocking: (@Sendable (Method.Params, Context) async throws -> Method.Response)? = nil
    ) {
        self.init(
            method.name, method.summary, method.params, method.result,
            .immediate { params, context in .value(Method.encode(try handler(try Method.decode(params), context))) },
            withoutBlocking: withoutBlocking.map { Self.encoding(method, $0) })
    }

    /// A method answered on the caller's event loop whose handler hands back its result already
    /// serialized: `Method.encode`'s JSON, cached with the data it came from (`client.get`).
    /// `withoutBlocking` is as for ``init(_:immediate:withoutBlocking:)``.
    package convenience init<Method: RPCMethod>(
        _ method: Method.Type,
        serializedImmediate handler: @escaping @Sendable (Method.Params, Context) throws -> SerializedJSON,
        withoutBlocking: (@Sendable (Method.Params, Context) async throws -> Method.Response)? = nil
    ) {
        self.init(
            method.name, method.summary, method.params, method.result,
            .immediate { params, context in .serialized(try handler(try Method.decode(params), context)) },
            withoutBlocking: withoutBlocking.map { Self.encoding(method, $0) })
    }

    /// A method run in a task on Swift's global pool (anything that may block its thread while it
    /// waits: a read on a server, a file, a long scan).
    package convenience init<Method: RPCMethod>(
        _ method: Method.Type,
        deferred handler: @escaping @Sendable (Method.Params, Context) async throws -> Method.Response
    ) {
        self.init(method.name, method.summary, method.params, method.result, .deferred(Self.encoding(method, handler)))
    }

    /// A method whose only wait is the writer's commit (`Store.write`): the writer's own thread does
    /// the store's work, so the caller's thread never blocks, and the call runs as a task on the
    /// connection's event loop. On Swift's global pool instead, each call cost two more thread
    /// hand-offs, to the pool and back to the loop (on 2 cores `partner.put` 16x1 answered about 6%
    /// fewer calls, the pool's threads using most of a core).
    package convenience init<Method: RPCMethod>(
        _ method: Method.Type,
        committing handler: @escaping @Sendable (Method.Params, Context) async throws -> Method.Response
    ) {
        self.init(
            method.name, method.summary, method.params, method.result, .suspending(Self.encoding(method, handler)))
    }

    /// `handler` between the wire's params and result (the decode and encode every form shares).
    private static func encoding<Method: RPCMethod>(
        _ method: Method.Type,
        _ handler: @escaping @Sendable (Method.Params, Context) async throws -> Method.Response
    ) -> DeferredHandler {
        { params, context in .value(Method.encode(try await handler(try Method.decode(params), context))) }
    }

    private init(
        _ name: String, _ summary: String, _ params: [ParamDescriptor], _ result: [String], _ execution: Execution,
        withoutBlocking: DeferredHandler? = nil
    ) {
        self.name = name
        self.summary = summary
        self.params = params
        self.resultMembers = result
        self.execution = execution
        self.withoutBlocking = withoutBlocking
    }

    /// The same method, with `check` run on the params before the handler (a rule every method
    /// of a table shares, applied in one place).
    package func checkingParams(_ check: @escaping @Sendable (JSONObject) throws -> Void) -> MethodDescriptor {
        let execution: Execution =
            switch self.execution {
            case .immediate(let handler):
                .immediate { params, context in
                    try check(params)
                    return try handler(params, context)
                }
            case .deferred(let handler):
                .deferred(Self.checking(check, handler))
            case .suspending(let handler):
                .suspending(Self.checking(check, handler))
            }
        return MethodDescriptor(
            name, summary, params, resultMembers, execution,
            withoutBlocking: withoutBlocking.map { Self.checking(check, $0) })
    }

    private static func checking(
        _ check: @escaping @Sendable (JSONObject) throws -> Void, _ handler: @escaping DeferredHandler
    )
        -> DeferredHandler
    {
        { params, context in
            try check(params)
            return try await handler(params, context)
        }
    }

    /// The same method for a store whose reads wait on a network round trip (PostgreSQL), where
    /// answering on the event loop would stall every connection the loop serves: an immediate
    /// method runs its `withoutBlocking` form, or else its handler through `offload`.
    package func offloadingImmediate(
        _ offload: @escaping @Sendable (@escaping @Sendable () throws -> RPCResult) async throws -> RPCResult
    ) -> MethodDescriptor {
        guard case .immediate(let handler) = execution else { return self }
        if let withoutBlocking {
            return MethodDescriptor(name, summary, params, resultMembers, .suspending(withoutBlocking))
        }
        return MethodDescriptor(
            name, summary, params, resultMembers,
            .deferred { params, context in try await offload { try handler(params, context) } })
    }

    /// Whether a call can be answered without leaving the caller's thread.
    package var isImmediate: Bool {
        if case .immediate = execution { true } else { false }
    }

    /// Whether a call never blocks its thread, so that it may run on the caller's event loop.
    package var neverBlocks: Bool {
        switch execution {
        case .immediate, .suspending: true
        case .deferred: false
        }
    }
}
