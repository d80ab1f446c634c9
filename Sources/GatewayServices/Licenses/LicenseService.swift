import GatewayJSON
import GatewayStore
import Logging

/// MISP licenses (SPEC 4.5): PMS's `/misps` endpoints and IDA's license check.
///
/// Mutations run their PMS checks inside the write transaction, so a check and the change it
/// allows see the same state. Reads (`list`, `validate`) are `nonisolated` and go straight to a
/// read connection: IDA's hot path never waits for the actor or the writer.
///
/// License keys never reach a log line, the journal (hashed), `license.list` (last four
/// characters) or an error message.
public actor LicenseService {
    let store: Store
    let rules: LicenseRules
    let propertiesFile: String
    /// Where a caller's `path` for `license.exportProperties` may point.
    let exportDirectory: ConfinedDirectory
    let logger: Logger

    public init(
        store: Store, rules: LicenseRules, propertiesFile: String, exportDirectory: ConfinedDirectory, logger: Logger
    ) {
        self.store = store
        self.rules = rules
        self.propertiesFile = propertiesFile
        self.exportDirectory = exportDirectory
        self.logger = logger
    }

    /// `license.generate {mispId}` → `{providerId, licenseKey, licenseKeyStatus: "Active", licenseKeyExpiry}`.
    public func generate(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        let mispId = try ParamReader(params).string("mispId", size: 1...36)
        let rules = self.rules
        let license = try await store.write { tx throws in
            try LicenseMutations.generate(&tx, mispId: mispId, rules: rules, context: context)
        }
        logger.info("license generated", metadata: ["mispId": "\(mispId)", "expiresAt": "\(license.expiresAt)"])
        return license.issuedResult
    }

    /// `license.update {providerId, licenseKey, licenseKeyStatus}`: activates or de-activates a key.
    public func update(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        let reader = ParamReader(params)
        let mispId = try reader.string("providerId", size: 1...36)
        let key = try reader.string("licenseKey", size: 1...Int.max)
        let statusText = try reader.string("licenseKeyStatus", size: 1...Int.max)
        guard let status = LicenseStatus(requestValue: statusText) else { throw LicenseErrors.badStatus }
        let license = try await store.write { tx throws in
            try LicenseMutations.update(&tx, mispId: mispId, key: key, status: status, context: context)
        }
        logger.info("license status set", metadata: ["mispId": "\(mispId)", "status": "\(status.rawValue)"])
        return license.updateResult
    }

    /// `license.get {mispId}`: the partner's current key, replaced first if it has expired.
    public func get(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        let mispId = try ParamReader(params).string("mispId", size: 1...36)
        return try await currentLicense(mispId, method: "license.get", context: context).issuedResult
    }

    /// `license.list {}`: every license, oldest first, keys shown only as `keyHint`.
    public nonisolated func list(_ params: JSONObject) throws -> JSONValue {
        let licenses = try store.read { connection in
            try connection.query(LicenseRecord.allSQL).map { row throws(StoreError) in try LicenseRecord(row: row) }
        }
        return ["licenses": .array(licenses.map(\.listEntry))]
    }

    /// `license.validate {licenseKey}`: IDA's check; an unknown key is an answer, not an error.
    public nonisolated func validate(_ params: JSONObject) throws -> JSONValue {
        let key = try ParamReader(params).string("licenseKey", size: 1...Int.max)
        let now = Timestamp.nowMilliseconds()
        return try store.read { connection in try LicenseValidation.validate(key: key, on: connection, now: now) }
    }

    /// The usable license of `mispId`, checked as `license.get` checks it.
    ///
    /// The common case (a live key) is answered from a read connection; only an expired key goes
    /// to the writer, which checks again and replaces it (journalled as `method`).
    func currentLicense(_ mispId: String, method: String, context: CallContext) async throws -> LicenseRecord {
        let seen = try store.read { connection in
            try LicenseChecks.usable(
                partner: try connection.partner(mispId), license: try connection.license(mispId: mispId))
        }
        guard seen.isExpired(at: Timestamp.nowMilliseconds()) else { return seen }
        let rules = self.rules
        let renewed = try await store.write { tx throws in
            try LicenseMutations.renewIfExpired(&tx, mispId: mispId, rules: rules, method: method, context: context)
        }
        logger.info(
            "expired license key replaced", metadata: ["mispId": "\(mispId)", "expiresAt": "\(renewed.expiresAt)"])
        return renewed
    }
}
