import GatewayCrypto
import GatewayJSON
import GatewayStore
import Synchronization

/// SPEC 4.3 steps 2–9 of `client.create`, run inside the write transaction.
///
/// Every check that reads stored state runs here, on the single writer, so two creates of one
/// key cannot both pass step 2: the second sees the first's row (same group or committed).
///
/// A client eSignet refused to create, and never created, does not hold its key (SPEC 7.3): a
/// new create replaces it with its undelivered eSignet calls, so the fixed request goes out
/// fresh. Its IDA events stay: IDA was told about the client and is told again.
///
/// Besides the request, what a create writes depends on three stored rows only: the partner, the
/// policy and their mapping (``CreationRows``). The single writer's time per create is what bounds
/// creates per second on any number of cores, so ``prepare()`` plans the whole write (the row,
/// the two events and the journal entry, encoded) on the caller's thread, from the rows the last
/// create of the same partner and policy was checked against (``CreationInputsCache``). Inside
/// the transaction the writer reads the three rows again and uses the plan only if they read the
/// same; otherwise it checks and plans afresh from what it read, so a plan can be wasted but
/// never wrong.
struct ClientCreation: Sendable {
    let request: ClientCreateRequest
    let key: PublicKey
    let mappings: MappingSet
    /// ``CurrentMappings``' generation of `mappings`.
    let mappingsGeneration: UInt64
    let rules: ClientRules
    let context: CallContext
    let cache: CreationInputsCache
    /// The plan made before the write, if one could be.
    private(set) var prepared: CreationPlan?

    init(
        request: ClientCreateRequest, key: PublicKey, mappings: CurrentMappings, rules: ClientRules,
        context: CallContext, cache: CreationInputsCache
    ) {
        self.request = request
        self.key = key
        // One mapping set for the whole call, even if SIGHUP swaps it meanwhile.
        (self.mappings, mappingsGeneration) = mappings.versioned
        self.rules = rules
        self.context = context
        self.cache = cache
    }

    /// Plans the write from the cached inputs, when there are some. Only a create that would
    /// succeed gets a plan: a refusal is left to the writer, which reports the checks in SPEC
    /// order (a duplicate key before an unknown partner).
    mutating func prepare() {
        guard let inputs = cachedInputs else { return }
        prepared = try? plan(inputs)
    }

    /// What the cache holds for this create's partner and policy under this call's mappings.
    private var cachedInputs: CheckedInputs? {
        cache.inputs(partnerId: request.authPartnerId, policyId: request.policyId, generation: mappingsGeneration)
    }

    func run(_ tx: inout WriteTransaction) throws -> ClientWrite {
        let replacing = try tx.clientExists(key.clientId)
        if replacing {
            guard try tx.esignetRefusedCreation(of: key.clientId) else { throw ClientErrors.duplicateKey }
        }
        let rows = try tx.creationRows(partnerId: request.authPartnerId, policyId: request.policyId)
        let plan: CreationPlan
        if let prepared, prepared.inputs.rows == rows {
            plan = prepared
        } else {
            plan = try self.plan(checkedInputs(rows))
        }

        var entry = plan.entry
        if replacing, case .object(var change) = entry.draft.change {
            try tx.removeRefusedClient(key.clientId)
            change["replacedRejected"] = true
            var draft = entry.draft
            draft.change = .object(change)
            entry = EncodedJournalDraft(draft)
        }
        do {
            try tx.insertClient(plan.row)
        } catch {
            guard error.code == .constraint else { throw error }
            // Another daemon on the same PostgreSQL database committed this key after step 2
            // looked (SPEC 9): its UNIQUE index is what refuses the second.
            throw ClientErrors.duplicateKey
        }
        try tx.enqueue(plan.events)
        tx.journal(entry)
        return ClientWrite(client: plan.client, warnings: plan.warnings)
    }

    /// Steps 3–7 against `rows` (the last two are the policy's derivation): from the cache when it
    /// checked the same rows under the same mappings, else decoded and derived here and remembered.
    private func checkedInputs(_ rows: CreationRows) throws -> CheckedInputs {
        if let cached = cachedInputs, cached.rows == rows { return cached }
        let partner = try authPartner(rows.partner)
        let policy = try authPolicy(rows.policy)
        try checkMapping(rows.mappingStatus)
        let derivation = try mappings.derive(policy: policy.policy)
        let inputs = CheckedInputs(
            rows: rows, partner: partner, policy: policy, derivation: derivation,
            warnings: AuthTypePrerequisite.warnings(for: policy.policy, rules: rules),
            mappingsGeneration: mappingsGeneration)
        cache.remember(inputs, partnerId: request.authPartnerId, policyId: request.policyId)
        return inputs
    }

    /// Step 8 and what step 9 stores, encoded, from inputs that passed steps 3–7.
    private func plan(_ inputs: CheckedInputs) throws -> CreationPlan {
        try request.settings.check(rules)
        if rules.refusesMissingAuthTypes, let missing = inputs.warnings.first {
            throw AuthTypePrerequisite.refusal(missing.value, policyId: inputs.policy.policyId)
        }
        let client = record(inputs.derivation, at: UTCTimestamp.now())
        return CreationPlan(
            inputs: inputs, client: client, row: client.bindings,
            events: [
                EncodedOutboxMessage(ClientEvents.esignetCreate(client)),
                EncodedOutboxMessage(ClientEvents.idaCreated(client, partner: inputs.partner, policy: inputs.policy)),
            ],
            entry: EncodedJournalDraft(
                context.draft("client.create", "client", client.clientId, change: client.journalChange)))
    }

    /// Step 3: the partner exists, is an Auth partner (any case, as PMS compares) and is active.
    private func authPartner(_ row: Row?) throws -> PartnerRecord {
        guard let row else { throw ClientErrors.partnerNotFound(request.authPartnerId) }
        let partner = try PartnerRecord(row: row)
        guard partner.partnerType.lowercased() == "auth_partner" else {
            throw ClientErrors.notAuthPartner(partner.partnerType)
        }
        guard partner.isActive else { throw ClientErrors.partnerNotActive }
        return partner
    }

    /// Step 4: the policy exists and is exactly of type `Auth`.
    private func authPolicy(_ row: Row?) throws -> PolicyRecord {
        guard let row else { throw ClientErrors.policyNotFound }
        let policy = try PolicyRecord(row: row)
        guard policy.policyType == "Auth" else { throw ClientErrors.policyTypeMismatch }
        return policy
    }

    /// Step 5: PMS approved the partner for this policy.
    private func checkMapping(_ status: String?) throws {
        guard let status else { throw ClientErrors.mappingMissing }
        guard status.lowercased() == "approved" else { throw ClientErrors.mappingNotApproved }
    }

    private func record(_ derivation: PolicyDerivation, at now: String) -> ClientRecord {
        ClientRecord(
            clientId: key.clientId, name: request.name, nameLangMap: request.nameLangMap, policyId: request.policyId,
            authPartnerId: request.authPartnerId, logoUri: request.settings.logoUri,
            redirectUris: request.settings.redirectUris, publicKey: key.jwkObject, claims: derivation.claims.sorted(),
            acrValues: derivation.acrValues.sorted(), status: ClientStatus.active,
            grantTypes: request.settings.grantTypes, clientAuthMethods: request.settings.clientAuthMethods,
            createdAt: now, updatedAt: now, additionalConfig: request.additionalConfig)
    }
}

/// The stored rows a create depends on besides its request, exactly as read: two reads that
/// compare equal lead one create to write the same things.
struct CreationRows: Sendable, Equatable {
    let partner: Row?
    let policy: Row?
    let mappingStatus: String?

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.partner?.values == rhs.partner?.values && lhs.policy?.values == rhs.policy?.values
            && lhs.mappingStatus == rhs.mappingStatus
    }
}

extension SQLQuerying where Self: ~Copyable {
    func creationRows(partnerId: String, policyId: String) throws(StoreError) -> CreationRows {
        CreationRows(
            partner: try query(PartnerRecord.selectSQL, [SQLValue(partnerId)]).first,
            policy: try query(PolicyRecord.selectSQL, [SQLValue(policyId)]).first,
            mappingStatus: try partnerPolicyStatus(partnerId: partnerId, policyId: policyId))
    }
}

/// Rows that passed a create's checks of partner, policy and mapping and its derivation (steps
/// 3–7), with what they decode and derive to under one generation of the mappings.
struct CheckedInputs: Sendable {
    let rows: CreationRows
    let partner: PartnerRecord
    let policy: PolicyRecord
    let derivation: PolicyDerivation
    let warnings: [PrerequisiteWarning]
    let mappingsGeneration: UInt64
}

/// The inputs the last successful check of each partner and policy pair passed, for planning the
/// next create of the pair off the writer, and for sparing the writer the policy's parse and
/// derivation while the rows stay the same.
///
/// Only ever a hint: the writer uses an entry only when the rows it reads inside its transaction
/// equal the entry's, so a stale entry costs a re-check, never a wrong write. Not a read cache
/// in SPEC 9's sense: nothing is answered from it.
final class CreationInputsCache: Sendable {
    private struct Pair: Hashable {
        let partnerId: String
        let policyId: String
    }

    private let entries = Mutex<[Pair: CheckedInputs]>([:])
    /// Pairs remembered before the cache starts afresh; a deployment has a few relying parties
    /// per policy, so this is only a bound on memory.
    static let capacity = 1024

    init() {}

    func inputs(partnerId: String, policyId: String, generation: UInt64) -> CheckedInputs? {
        let key = Pair(partnerId: partnerId, policyId: policyId)
        return entries.withLock { $0[key] }.flatMap { $0.mappingsGeneration == generation ? $0 : nil }
    }

    func remember(_ inputs: CheckedInputs, partnerId: String, policyId: String) {
        let key = Pair(partnerId: partnerId, policyId: policyId)
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[key] == nil { entries.removeAll() }
            entries[key] = inputs
        }
    }
}

/// Everything one create writes, encoded, with the inputs it was planned from.
struct CreationPlan: Sendable {
    let inputs: CheckedInputs
    let client: ClientRecord
    /// The client's ``ClientRecord/bindings``.
    let row: [SQLValue]
    /// eSignet's create call, then IDA's event.
    let events: [EncodedOutboxMessage]
    let entry: EncodedJournalDraft

    var warnings: [PrerequisiteWarning] { inputs.warnings }
}
