import GatewayJSON
import GatewayStore
import Logging

/// MISP licenses (SPEC 4.5): PMS's `/misps` endpoints and IDA's license check.
///
/// Mutations run their PMS checks inside the write transaction, so a check and the change it
/// allows see the same state. Reads (`list`, `validate`) go straight to a read connection: IDA's
/// hot path never waits for the writer.
///
/// A struct: the store's single writer orders the mutations; the one shared thing that needs
/// isolation, eSignet's properties file, belongs to the ``PropertiesExporter`` actor.
///
/// License keys never reach a log line, the journal (hashed), `license.list` (last four
/// characters) or an error message.
package struct LicenseService: Sendable {
    let store: Store
    let rules: LicenseRules
    let exporter: PropertiesExporter
    let logger: Logger
    /// Told after each commit that enqueued an IDA event, so delivery starts without waiting for its scan.
    let onEnqueue: @Sendable () -> Void

    package init(
        store: Store, rules: LicenseRules, propertiesFile: String, exportDirectory: ConfinedDirectory, logger: Logger,
        export: LicenseExportSettings = LicenseExportSettings(), onEnqueue: @escaping @Sendable () -> Void = {}
    ) {
        self.store = store
        self.rules = rules
        self.exporter = PropertiesExporter(
            propertiesFile: propertiesFile, exportDirectory: exportDirectory, settings: export)
        self.logger = logger
        self.onEnqueue = onEnqueue
    }

    /// `license.generate`: issues the MISP partner's key, warning about policy flags IDA will need.
    package func generate(mispId: String, context: CallContext) async throws -> IssuedLicense {
        let rules = self.rules
        let (license, policy) = try await store.write { tx throws in
            try LicenseMutations.generate(&tx, mispId: mispId, rules: rules, context: context)
        }
        onEnqueue()
        logger.info("license generated", metadata: ["mispId": "\(mispId)", "expiresAt": "\(license.expiresAt)"])
        return IssuedLicense(
            license: license,
            warnings: PolicyFlagPrerequisite.warnings(for: policy?.policy, required: rules.requiredPolicyFlags),
            exported: await autoExport(license, context: context))
    }

    /// `license.update`: activates or de-activates a key.
    package func update(_ request: LicenseStatusChange, context: CallContext) async throws -> IssuedLicense {
        let license = try await store.write { tx throws in
            try LicenseMutations.update(
                &tx, mispId: request.mispId, key: request.licenseKey, status: request.status, context: context)
        }
        onEnqueue()
        logger.info(
            "license status set", metadata: ["mispId": "\(request.mispId)", "status": "\(request.status.rawValue)"])
        return IssuedLicense(license: license, warnings: [], exported: await autoExport(license, context: context))
    }

    /// `license.get`: the partner's current key, replaced (and exported) first if it has expired.
    package func get(mispId: String, context: CallContext) async throws -> IssuedLicense {
        let current = try await currentLicense(mispId, method: "license.get", context: context)
        let exported = current.renewed ? await autoExport(current.license, context: context) : nil
        return IssuedLicense(license: current.license, warnings: [], exported: exported)
    }

    /// `license.list`: a page of licenses, oldest first (keys are shown only as `keyHint`).
    package func list(_ page: PageRequest) throws -> (licenses: [LicenseRecord], nextCursor: String?) {
        let rows = try store.read { connection in
            try connection.query(
                "SELECT seq, \(LicenseRecord.columns) FROM licenses WHERE seq > ? ORDER BY seq LIMIT ?",
                [SQLValue(page.afterSeq), SQLValue(page.limit + 1)])
        }
        let licenses = try rows.prefix(page.limit).map { row throws(StoreError) in try LicenseRecord(row: row) }
        let next = rows.count > page.limit ? try rows[page.limit - 1].int("seq") : nil
        return (licenses, next.map { String($0) })
    }

    /// `license.validate`: IDA's check; an unknown key is an answer, not an error. `render` makes
    /// what the caller answers from the verdict (the daemon's reply bytes).
    ///
    /// Until the next commit the reader's cache keeps both answers a key can get, the one before
    /// its license expires and the one from then on, and the clock picks between them: a key IDA
    /// checks again is neither read nor rendered again.
    package func validate<Rendered: Sendable>(key: String, rendered render: (LicenseVerdict) -> Rendered) throws
        -> Rendered
    {
        let now = UTCTimestamp.nowMilliseconds()
        guard LicenseValidation.mayExist(key) else { return render(verdict(LicenseValidation.nobodys, now: now)) }
        let answers = try store.read(LicenseValidation.byKey, key: key, cachedAs: "license:" + key) { row in
            let lookup = try LicenseValidation.lookup(row)
            return RenderedVerdicts(
                license: lookup.license, beforeExpiry: render(verdict(lookup, now: .min)),
                fromExpiry: render(verdict(lookup, now: .max)))
        }
        return answers.answer(at: now)
    }

    /// `license.validate` where a read waits on the network (PostgreSQL): no thread waits with it,
    /// and the lookup shares its round trip with the others asked meanwhile.
    package func validateWithoutBlocking(key: String) async throws -> LicenseVerdict {
        let now = UTCTimestamp.nowMilliseconds()
        guard LicenseValidation.mayExist(key) else { return verdict(LicenseValidation.nobodys, now: now) }
        let lookup = try await store.lookup(
            LicenseValidation.byKey, key: key, cachedAs: "license:" + key, LicenseValidation.lookup)
        return verdict(lookup, now: now)
    }

    /// A key's two possible answers; the verdict depends on the clock only through its license's
    /// expiry, so these two are all there are until the row changes.
    private struct RenderedVerdicts<Rendered: Sendable>: Sendable {
        let license: LicenseRecord?
        let beforeExpiry: Rendered
        let fromExpiry: Rendered

        func answer(at now: Int64) -> Rendered {
            license?.isExpired(at: now) == true ? fromExpiry : beforeExpiry
        }
    }

    private func verdict(_ lookup: LicenseValidation.Lookup, now: Int64) -> LicenseVerdict {
        var verdict = LicenseValidation.verdict(lookup, now: now)
        if verdict.isValid {
            verdict.warnings = PolicyFlagPrerequisite.warnings(for: verdict.policy, required: rules.requiredPolicyFlags)
        }
        return verdict
    }

    /// The usable license of `mispId`, checked as `license.get` checks it.
    ///
    /// The common case (a live key) is answered from a read connection; only an expired key goes
    /// to the writer, which checks again and replaces it (journalled as `method`).
    func currentLicense(_ mispId: String, method: String, context: CallContext) async throws
        -> (license: LicenseRecord, renewed: Bool)
    {
        let seen = try store.read { connection in
            try LicenseChecks.usable(
                partner: try connection.partner(mispId), license: try connection.license(mispId: mispId))
        }
        guard seen.isExpired(at: UTCTimestamp.nowMilliseconds()) else { return (seen, false) }
        let rules = self.rules
        let renewed = try await store.write { tx throws in
            try LicenseMutations.renewIfExpired(&tx, mispId: mispId, rules: rules, method: method, context: context)
        }
        onEnqueue()
        logger.info(
            "expired license key replaced", metadata: ["mispId": "\(mispId)", "expiresAt": "\(renewed.expiresAt)"])
        return (renewed, true)
    }
}

/// A license as generate, update and get answer it: what its MISP policy lacks for IDA (SPEC 7.5),
/// and whether the call exported the new current key to eSignet (SPEC 7.6; nil when it had none to).
package struct IssuedLicense: Sendable {
    package let license: LicenseRecord
    package let warnings: [PrerequisiteWarning]
    package var exported: Bool? = nil
}

/// `license.update` params: which key of which partner, and its new status.
package struct LicenseStatusChange: Sendable {
    package var mispId: String
    package var licenseKey: String
    package var status: LicenseStatus

    package init(params: JSONObject) throws(GatewayError) {
        let reader = ParamReader(params)
        mispId = try reader.string("providerId", size: 1...36)
        licenseKey = try reader.string("licenseKey", size: 1...Int.max)
        guard let status = LicenseStatus(requestValue: try reader.string("licenseKeyStatus", size: 1...Int.max)) else {
            throw LicenseErrors.badStatus
        }
        self.status = status
    }
}

/// `{limit?, cursor?}` for lists paged by `seq` (the cursor is the last row's seq as text).
package struct PageRequest: Sendable {
    package var limit: Int
    package var afterSeq: Int

    package init(params: JSONObject, defaultLimit: Int, maxLimit: Int) throws(GatewayError) {
        let reader = ParamReader(params)
        limit = try reader.optionalInt("limit", range: 1...maxLimit) ?? defaultLimit
        let cursor = try reader.optionalString("cursor")
        guard let cursor else {
            afterSeq = 0
            return
        }
        guard !cursor.isEmpty, cursor.utf8.allSatisfy({ (48...57).contains($0) }), let seq = Int(cursor) else {
            throw .invalidParameter("cursor", "must be a cursor returned by this method")
        }
        afterSeq = seq
    }
}
