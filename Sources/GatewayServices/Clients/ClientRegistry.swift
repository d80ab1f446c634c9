import GatewayJSON
import GatewayStore
import Logging

/// The OIDC client registry (SPEC 4.3): PMS's `POST/PUT /oidc/client` semantics over the store.
///
/// Mutations validate the request's shape first (the request types), parse the key outside any
/// lock, then run every state-dependent check in the write transaction that also stores the
/// client, its journal entry and its two outbox rows, so either all of them commit or none does.
/// Reads go straight to a read connection: eSignet's lookups never queue behind the writer.
///
/// A struct, not an actor: it keeps no mutable state of its own (the mappings are swapped
/// atomically by their holder, and the creation inputs are a locked hint), and the store's single
/// writer orders the mutations.
package struct ClientRegistry: Sendable {
    let store: Store
    let mappings: CurrentMappings
    let rules: ClientRules
    let logger: Logger
    /// Told after each commit that enqueued outbox rows, so delivery starts without waiting for its scan.
    let onEnqueue: @Sendable () -> Void
    /// What `client.create` plans its writes from, shared by every copy of the registry.
    let creationInputs = CreationInputsCache()

    package init(
        store: Store, mappings: CurrentMappings, rules: ClientRules, logger: Logger,
        onEnqueue: @escaping @Sendable () -> Void = {}
    ) {
        self.store = store
        self.mappings = mappings
        self.rules = rules
        self.logger = logger
        self.onEnqueue = onEnqueue
    }

    /// `client.create`.
    package func create(_ request: ClientCreateRequest, context: CallContext) async throws -> ClientWrite {
        try rules.check(additionalConfig: request.additionalConfig)
        let key = try PublicKeyReader.forClient(request.publicKey, minRsaBits: rules.minRsaBits)
        var creation = ClientCreation(
            request: request, key: key, mappings: mappings, rules: rules, context: context, cache: creationInputs)
        creation.prepare()
        let write = try await store.write { [creation] tx in try creation.run(&tx) }
        let client = write.client
        onEnqueue()
        logger.info(
            "client created",
            metadata: ["clientId": "\(client.clientId)", "authPartnerId": "\(client.authPartnerId)"])
        return try await answer(write, waitSeconds: request.waitSeconds)
    }

    /// `client.update`.
    package func update(_ request: ClientUpdateRequest, context: CallContext) async throws -> ClientWrite {
        try rules.check(additionalConfig: request.additionalConfig)
        let update = ClientUpdate(request: request, rules: rules, context: context)
        let write = try await store.write { tx in try update.run(&tx) }
        let client = write.client
        onEnqueue()
        logger.info("client updated", metadata: ["clientId": "\(client.clientId)", "status": "\(client.status)"])
        return try await answer(write, waitSeconds: request.waitSeconds)
    }

    /// SPEC 7.3: with a wait, the reply follows eSignet's answer to the call just committed, as
    /// PMS's own reply follows eSignet's. Polls the client's latest eSignet row on a read
    /// connection; delivery runs on its own, so a caller that gives up loses nothing.
    private func answer(_ write: ClientWrite, waitSeconds: Int?) async throws -> ClientWrite {
        let seconds = waitSeconds ?? rules.waitForESignetSeconds
        guard seconds > 0 else { return write }
        let client = write.client
        let deadline = ContinuousClock.now + .seconds(seconds)
        var state = try esignetState(client.clientId)
        // A cancelled wait (the daemon stopping) still answers: the client is committed either way.
        while state?.state == "pending", ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: ESignetWait.pollInterval)
            state = try esignetState(client.clientId)
        }
        if let state, state.state == "rejected" {
            throw GatewayError(.esignetRejected, state.errorCode ?? "GW_REJECTED", state.message ?? "")
        }
        var answered = write
        answered.esignet = state
        return answered
    }

    private func esignetState(_ clientId: String) throws -> ESignetState? {
        try store.read { connection in
            try connection.queryFirst(
                "SELECT \(ESignetState.columns) FROM clients c \(ESignetState.latestRowJoin) WHERE c.client_id = ?",
                [SQLValue(clientId)]
            ).flatMap { row throws(StoreError) in try ESignetState(row, from: 0) }
        }
    }

    /// `client.get`: one indexed query on a read connection and one stored document; the key comes
    /// back public members only. `render` makes what the caller answers from the view (the
    /// daemon's reply bytes), and the reader's cache keeps that rendering until the next commit:
    /// a client eSignet asks for again is neither read nor rendered again.
    package func client<Rendered: Sendable>(_ clientId: String, rendered render: (ClientView) -> Rendered) throws
        -> Rendered
    {
        let rendered = try store.read(Self.lookup, key: clientId, cachedAs: "client:" + clientId) { row in
            try Self.view(row, clientId).map(render)
        }
        guard let rendered else { throw ClientErrors.clientNotFound }
        return rendered
    }

    /// `client.get` where a read waits on the network (PostgreSQL): no thread waits with it, and
    /// the lookup shares its round trip with the others asked meanwhile.
    package func clientWithoutBlocking(_ clientId: String) async throws -> ClientView {
        try Self.found(
            await store.lookup(Self.lookup, key: clientId, cachedAs: "client:" + clientId) {
                try Self.view($0, clientId)
            })
    }

    private static let lookup = KeyedRead(
        columns: "c.view, p.name, \(ESignetState.columns)",
        from: "clients c LEFT JOIN policies p ON p.policy_id = c.policy_id \(ESignetState.latestRowJoin)",
        key: "c.client_id")

    private static func view(_ row: Row?, _ clientId: String) throws -> ClientView? {
        guard let row else { return nil }
        guard case .object(let view)? = try? JSONValue.parse(try row.string(0)) else {
            throw StoreError(.corrupt, "clients.view of \(clientId) is not a JSON object")
        }
        return ClientView(
            stored: view, policyName: try row.optionalString(1) ?? "", esignet: try ESignetState(row, from: 2))
    }

    private static func found(_ view: ClientView?) throws -> ClientView {
        guard let view else { throw ClientErrors.clientNotFound }
        return view
    }

    /// `client.list`: oldest first, paged by `seq` so pages stay stable while clients are added.
    package func list(_ query: ClientListQuery) throws -> ClientPage {
        try store.read { connection in try query.run(on: connection) }
    }

    /// `policy.derive`: SPEC 4.3 steps 4, 6 and 7 as a dry run.
    package func derive(_ source: PolicySource) throws -> PolicyDerivation {
        let document: JSONValue
        switch source {
        case .inline(let inline):
            try PolicyRules.check(inline, type: "Auth")
            document = .object(inline)
        case .stored(let policyId):
            guard let policy = try store.read({ connection in try connection.policy(policyId) }) else {
                throw ClientErrors.policyNotFound
            }
            guard policy.policyType == "Auth" else { throw ClientErrors.policyTypeMismatch }
            document = policy.policy
        }
        var derivation = try mappings.mappings.derive(policy: document)
        derivation.warnings = AuthTypePrerequisite.warnings(for: document, rules: rules)
        return derivation
    }
}

/// What `policy.derive` derives from: a stored policy, or one given inline.
package enum PolicySource: Sendable {
    case stored(policyId: String)
    case inline(JSONObject)

    /// `{policyId}` or `{policy}`; `policyId` wins when both are given, because a stored policy is
    /// what `client.create` uses.
    package init(params: JSONObject) throws(GatewayError) {
        let reader = ParamReader(params)
        if params["policyId"] == nil || params["policyId"] == .null, let inline = try reader.optionalObject("policy") {
            self = .inline(inline)
        } else {
            self = .stored(policyId: try reader.string("policyId", size: 1...36))
        }
    }
}

/// A client as `client.get` shows it: the stored answer, the name of its policy now, and where
/// its latest eSignet call stands.
package struct ClientView: Sendable {
    /// The client's `view` column.
    let stored: JSONObject
    let policyName: String
    let esignet: ESignetState?

    /// SPEC 4.3's member order: `policyName` right after `policyId`; `esignet` last (SPEC 7.3).
    /// eSignet reads it on every authorization: the members are copied in one pass, the stored
    /// ones being distinct already.
    package var json: JSONValue {
        var members: [JSONObject.Element] = []
        members.reserveCapacity(stored.count + 2)
        for member in stored where member.key != "policyName" && member.key != "esignet" {
            members.append(member)
            if member.key == "policyId" { members.append(("policyName", .string(policyName))) }
        }
        if let esignet { members.append(("esignet", esignet.json)) }
        return .object(JSONObject(distinctMembers: members))
    }
}

/// PMS's client errors with its codes and messages verbatim (SPEC 3), and their kinds.
enum ClientErrors {
    static let duplicateKey = GatewayError(.conflict, "PMS_ESI_001", "Client public key already exists.")
    static let mappingNotApproved = GatewayError(
        .refused, "PMS_ESI_002", "Partner policy mapping is not approved. Please check mapping status.")
    static let clientNotFound = GatewayError(.notFound, "PMS_ESI_004", "Client not exists with given id.")
    static let alreadyDeactivated = GatewayError(.conflict, "PMS_ESI_008", "Client already deactivated.")
    static let policyTypeMismatch = GatewayError(
        .refused, "PMS_PRT_057", "Policy Type Mismatch. Only Auth policy can be used to create OIDC Client.")
    static let mappingMissing = GatewayError(.refused, "PMS_PRT_061", "Partner policy mapping not exists.")
    static let policyNotFound = GatewayError(.notFound, "PMS_PRT_073", "Policy not exists.")
    static let partnerNotActive = GatewayError(.refused, "PMS_PMP_016", "Partner is not active.")

    static func partnerNotFound(_ partnerId: String) -> GatewayError {
        GatewayError(.notFound, "PMS_PRT_058", "AuthPartner doesn't exists with this Id - \(partnerId).")
    }

    static func notAuthPartner(_ partnerType: String) -> GatewayError {
        GatewayError(
            .refused, "PMS_PRT_059",
            "Only Auth_partner can Create OIDC Client. \(partnerType) is not allowed to create OIDC Client.")
    }
}
