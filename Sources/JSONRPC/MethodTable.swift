import GatewayJSON

/// The router's table: method name → descriptor. Built once at start, read concurrently after.
package struct MethodTable<Context: Sendable>: Sendable {
    package private(set) var methods: [String: MethodDescriptor<Context>] = [:]
    /// Registration order, which is also the order of the OpenRPC document.
    package private(set) var names: [String] = []

    package init() {}

    package mutating func register(_ descriptor: MethodDescriptor<Context>) {
        precondition(methods[descriptor.name] == nil, "method \(descriptor.name) registered twice")
        methods[descriptor.name] = descriptor
        names.append(descriptor.name)
    }

    /// Replaces every descriptor with `transform`'s version of it (same name, same order).
    package mutating func transformMethods(_ transform: (MethodDescriptor<Context>) -> MethodDescriptor<Context>) {
        for name in names {
            if let method = methods[name] { methods[name] = transform(method) }
        }
    }

    package subscript(name: String) -> MethodDescriptor<Context>? {
        methods[name]
    }

    /// The OpenRPC 1.2 document of every registered method.
    package func openRPCDocument(title: String, version: String) -> JSONValue {
        let entries: [JSONValue] = names.compactMap { methods[$0] }.map { method in
            let params: [JSONValue] = method.params.map { param in
                ["name": .string(param.name), "required": .bool(param.required), "schema": param.schema]
            }
            let resultProperties = JSONObject(method.resultMembers.map { ($0, JSONValue.object(JSONObject())) })
            return [
                "name": .string(method.name),
                "summary": .string(method.summary),
                "paramStructure": "by-name",
                "params": .array(params),
                "result": [
                    "name": .string("\(method.name).result"),
                    "schema": ["type": "object", "properties": .object(resultProperties)],
                ],
            ]
        }
        return [
            "openrpc": "1.2.6",
            "info": ["title": .string(title), "version": .string(version)],
            "methods": .array(entries),
        ]
    }
}
