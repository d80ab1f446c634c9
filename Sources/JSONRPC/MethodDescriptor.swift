import GatewayJSON

/// One parameter as documented in the OpenRPC document.
public struct ParamDescriptor: Sendable {
    public let name: String
    public let required: Bool
    /// A JSON Schema fragment.
    public let schema: JSONValue

    public init(_ name: String, required: Bool = true, schema: JSONValue) {
        self.name = name
        self.required = required
        self.schema = schema
    }

    public static func string(_ name: String, required: Bool = true) -> ParamDescriptor {
        ParamDescriptor(name, required: required, schema: ["type": "string"])
    }

    public static func integer(_ name: String, required: Bool = true) -> ParamDescriptor {
        ParamDescriptor(name, required: required, schema: ["type": "integer"])
    }

    public static func object(_ name: String, required: Bool = true) -> ParamDescriptor {
        ParamDescriptor(name, required: required, schema: ["type": "object"])
    }

    public static func strings(_ name: String, required: Bool = true) -> ParamDescriptor {
        ParamDescriptor(name, required: required, schema: ["type": "array", "items": ["type": "string"]])
    }
}

/// A method the router dispatches on, with everything the OpenRPC document says about it.
/// Dispatch and documentation read the same value, so they cannot drift apart.
public struct MethodDescriptor<Context: Sendable>: Sendable {
    public typealias ImmediateHandler = @Sendable (JSONObject, Context) throws -> JSONValue
    public typealias DeferredHandler = @Sendable (JSONObject, Context) async throws -> JSONValue

    /// How a handler runs. Short reads answer on the connection's event loop (`immediate`), which
    /// is what keeps eSignet's and IDA's hot paths fast; anything that waits (a commit, a long
    /// scan) is `deferred` to a task.
    public enum Execution: Sendable {
        case immediate(ImmediateHandler)
        case deferred(DeferredHandler)
    }

    public let name: String
    public let summary: String
    public let params: [ParamDescriptor]
    /// Names of the members of the result object.
    public let resultMembers: [String]
    public let execution: Execution

    /// A method answered on the caller's event loop (short reads).
    public init<Method: RPCMethod>(
        _ method: Method.Type, immediate handler: @escaping @Sendable (Method.Params, Context) throws -> Method.Response
    ) {
        self.init(
            method.name, method.summary, method.params, method.result,
            .immediate { params, context in Method.encode(try handler(try Method.decode(params), context)) })
    }

    /// A method run in a task (anything that waits for a commit or a long scan).
    public init<Method: RPCMethod>(
        _ method: Method.Type,
        deferred handler: @escaping @Sendable (Method.Params, Context) async throws -> Method.Response
    ) {
        self.init(
            method.name, method.summary, method.params, method.result,
            .deferred { params, context in Method.encode(try await handler(try Method.decode(params), context)) })
    }

    private init(
        _ name: String, _ summary: String, _ params: [ParamDescriptor], _ result: [String], _ execution: Execution
    ) {
        self.name = name
        self.summary = summary
        self.params = params
        self.resultMembers = result
        self.execution = execution
    }

    /// The same method, with `check` run on the params before the handler (a rule every method
    /// of a table shares, applied in one place).
    public func checkingParams(_ check: @escaping @Sendable (JSONObject) throws -> Void) -> MethodDescriptor {
        let execution: Execution =
            switch self.execution {
            case .immediate(let handler):
                .immediate { params, context in
                    try check(params)
                    return try handler(params, context)
                }
            case .deferred(let handler):
                .deferred { params, context in
                    try check(params)
                    return try await handler(params, context)
                }
            }
        return MethodDescriptor(name, summary, params, resultMembers, execution)
    }

    /// Whether a call can be answered without leaving the caller's thread.
    public var isImmediate: Bool {
        if case .immediate = execution { true } else { false }
    }
}
