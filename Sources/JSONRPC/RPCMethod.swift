import GatewayJSON

/// A method of the protocol as a type: its name, what its params decode to and what its result
/// encodes from (sourcekit-lsp's `RequestType`).
///
/// The wire format ends here: a handler receives `Params` and returns `Response`, so the services
/// it calls never see `JSONObject` or `JSONValue`. The table builds dispatch, access checks and
/// `rpc.discover` from these same declarations.
package protocol RPCMethod: SendableMetatype {
    associatedtype Params: Sendable
    associatedtype Response: Sendable

    static var name: String { get }
    static var summary: String { get }
    /// The params as the OpenRPC document lists them.
    static var params: [ParamDescriptor] { get }
    /// The members of the result object, for the OpenRPC document.
    static var result: [String] { get }

    /// Reads and checks the params; throws the error the caller gets (an invalid-params one).
    static func decode(_ params: JSONObject) throws -> Params
    static func encode(_ response: Response) -> JSONValue
}

extension RPCMethod {
    package static var params: [ParamDescriptor] { [] }
}

extension RPCMethod where Params == Void {
    /// A method without params ignores whatever it is sent, as JSON-RPC allows.
    package static func decode(_ params: JSONObject) throws {}
}
