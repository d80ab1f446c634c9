import GatewayCrypto
import GatewayJSON
import GatewayServices
import GatewayStore

@testable import GatewayDaemon

/// The services called as the router calls them: params decoded and results encoded by the
/// daemon's own method types, so these suites check the whole path short of the socket.
extension ClientRegistry {
    func create(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        ClientCreateMethod.encode(try await create(try ClientCreateMethod.decode(params), context: context))
    }

    func update(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        ClientUpdateMethod.encode(try await update(try ClientUpdateMethod.decode(params), context: context))
    }

    /// As the router answers it: rendered to bytes, which are what the reader's cache keeps.
    func get(_ params: JSONObject) throws -> JSONValue {
        let rendered = try client(try ClientGetMethod.decode(params)) { SerializedJSON(ClientGetMethod.encode($0)) }
        return try JSONValue.parse(rendered.bytes)
    }

    func list(_ params: JSONObject) throws -> JSONValue {
        ClientListMethod.encode(try list(try ClientListMethod.decode(params)))
    }

    func derive(_ params: JSONObject) throws -> JSONValue {
        PolicyDeriveMethod.encode(try derive(try PolicyDeriveMethod.decode(params)))
    }
}

extension KeyHashingService {
    func clientId(_ params: JSONObject) throws -> JSONValue {
        KeyClientIdMethod.encode(try clientId(of: try KeyClientIdMethod.decode(params)))
    }
}

extension LicenseService {
    func generate(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        LicenseGenerateMethod.encode(
            try await generate(mispId: try LicenseGenerateMethod.decode(params), context: context))
    }

    func update(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        LicenseUpdateMethod.encode(try await update(try LicenseUpdateMethod.decode(params), context: context))
    }

    func get(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        LicenseGetMethod.encode(try await get(mispId: try LicenseGetMethod.decode(params), context: context))
    }

    func list(_ params: JSONObject) throws -> JSONValue {
        LicenseListMethod.encode(try list(try LicenseListMethod.decode(params)))
    }

    /// As the router answers it: rendered to bytes, which are what the reader's cache keeps.
    func validate(_ params: JSONObject) throws -> JSONValue {
        let rendered = try validate(key: try LicenseValidateMethod.decode(params)) {
            SerializedJSON(LicenseValidateMethod.encode($0))
        }
        return try JSONValue.parse(rendered.bytes)
    }

    func exportProperties(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        let request = try LicenseExportPropertiesMethod.decode(params)
        return LicenseExportPropertiesMethod.encode(
            try await exportProperties(mispId: request.mispId, path: request.path, context: context))
    }
}
