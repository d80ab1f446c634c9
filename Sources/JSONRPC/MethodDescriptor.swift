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
    public typealias Handler = @Sendable (JSONObject, Context) async throws -> JSONValue

    public let name: String
    public let summary: String
    public let params: [ParamDescriptor]
    /// Names of the members of the result object.
    public let resultMembers: [String]
    /// Whether the method changes state (and therefore is journalled).
    public let mutates: Bool
    public let handler: Handler

    public init(
        _ name: String, summary: String, params: [ParamDescriptor] = [], result: [String],
        mutates: Bool = false, handler: @escaping Handler
    ) {
        self.name = name
        self.summary = summary
        self.params = params
        self.resultMembers = result
        self.mutates = mutates
        self.handler = handler
    }
}
