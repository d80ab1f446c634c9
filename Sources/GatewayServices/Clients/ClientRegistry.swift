import GatewayJSON
import GatewayStore
import Logging

/// The OIDC client registry (SPEC 4.3): PMS's `POST/PUT /oidc/client` semantics over the store.
///
/// Mutations validate the request's shape here, then run every state-dependent check in the write
/// transaction that also stores the client, its journal entry and its two outbox rows, so either
/// all of them commit or none does. Reads (`get`, `list`, `derive`) are `nonisolated` and go
/// straight to a read connection: eSignet's lookups never queue behind the actor or the writer.
public actor ClientRegistry {
    let store: Store
    let mappings: MappingsHolder
    let rules: ClientRules
    let logger: Logger

    public init(store: Store, mappings: MappingsHolder, rules: ClientRules, logger: Logger) {
        self.store = store
        self.mappings = mappings
        self.rules = rules
        self.logger = logger
    }

    /// `client.create` → `{clientId, status}`.
    public func create(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        let request = try ClientCreateRequest(params: params)
        let key = try PublicKeyReader.forClient(request.publicKey, minRsaBits: rules.minRsaBits)
        // One mapping set for the whole call, even if SIGHUP swaps it meanwhile.
        let creation = ClientCreation(
            request: request, key: key, mappings: mappings.mappings, rules: rules, context: context)
        let client = try await store.write { tx in try creation.run(&tx) }
        logger.info(
            "client created",
            metadata: ["clientId": "\(client.clientId)", "authPartnerId": "\(client.authPartnerId)"])
        return result(client)
    }

    /// `client.update` → `{clientId, status}`.
    public func update(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        let update = ClientUpdate(request: try ClientUpdateRequest(params: params), rules: rules, context: context)
        let client = try await store.write { tx in try update.run(&tx) }
        logger.info("client updated", metadata: ["clientId": "\(client.clientId)", "status": "\(client.status)"])
        return result(client)
    }

    private func result(_ client: ClientRecord) -> JSONValue {
        ["clientId": .string(client.clientId), "status": .string(client.status)]
    }
}
