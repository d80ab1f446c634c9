import GatewayJSON
import GatewayStore

/// Row mapping for the `clients` table. List-valued and object-valued columns hold canonical JSON
/// text (DomainMigrations), so a stored value reads back identically whoever wrote it.
extension ClientRecord {
    /// Aliased explicitly: SQLite does not promise result column names for `table.column` otherwise.
    static let columns = [
        "seq", "client_id", "name", "name_lang_map", "policy_id", "auth_partner_id", "logo_uri", "redirect_uris",
        "public_key", "claims", "acr_values", "status", "grant_types", "client_auth_methods", "created_at",
        "updated_at", "additional_config",
    ].map { "c.\($0) AS \($0)" }.joined(separator: ", ")

    init(row: Row) throws(StoreError) {
        clientId = try row.string("client_id")
        name = try row.string("name")
        nameLangMap = try row.optionalString("name_lang_map").map { text throws(StoreError) in try Self.object(text) }
        policyId = try row.string("policy_id")
        authPartnerId = try row.string("auth_partner_id")
        logoUri = try row.string("logo_uri")
        redirectUris = try Self.strings(try row.string("redirect_uris"))
        publicKey = try Self.object(try row.string("public_key"))
        claims = try Self.strings(try row.string("claims"))
        acrValues = try Self.strings(try row.string("acr_values"))
        status = try row.string("status")
        grantTypes = try Self.strings(try row.string("grant_types"))
        clientAuthMethods = try Self.strings(try row.string("client_auth_methods"))
        createdAt = try row.string("created_at")
        updatedAt = try row.string("updated_at")
        additionalConfig = try row.optionalString("additional_config").map { text throws(StoreError) in
            try Self.object(text)
        }
    }

    /// Bindings for `?1…?17` in column order (without `seq`, which SQLite assigns), then the view
    /// and `additionalConfig`.
    var bindings: [SQLValue] {
        [
            SQLValue(clientId), SQLValue(name), SQLValue(nameLangMap.map { JSONValue.object($0).canonicalText() }),
            SQLValue(policyId), SQLValue(authPartnerId), SQLValue(logoUri), Self.text(redirectUris),
            SQLValue(JSONValue.object(publicKey).canonicalText()), Self.text(claims), Self.text(acrValues),
            SQLValue(status), Self.text(grantTypes), Self.text(clientAuthMethods), SQLValue(createdAt),
            SQLValue(updatedAt), SQLValue(JSONValue.object(view).serialized()),
            SQLValue(additionalConfig.map { JSONValue.object($0).canonicalText() }),
        ]
    }

    private static func text(_ strings: [String]) -> SQLValue {
        SQLValue(JSONValue(strings).canonicalText())
    }

    private static func strings(_ text: String) throws(StoreError) -> [String] {
        guard case .array(let values)? = try? JSONValue.parse(Array(text.utf8)),
            case let strings = values.compactMap(\.stringValue), strings.count == values.count
        else { throw StoreError(.corrupt, "clients: a list column is not a JSON array of strings") }
        return strings
    }

    private static func object(_ text: String) throws(StoreError) -> JSONObject {
        guard case .object(let object)? = try? JSONValue.parse(Array(text.utf8)) else {
            throw StoreError(.corrupt, "clients: an object column is not a JSON object")
        }
        return object
    }
}

extension WriteTransaction {
    /// The client as a write reads it to change it, locked for the rest of the transaction (SPEC
    /// 9): without the lock, a rename that read the client before another daemon's deactivation
    /// committed would write it back ACTIVE.
    func client(_ clientId: String) throws(StoreError) -> ClientRecord? {
        try query(
            "SELECT \(ClientRecord.columns) FROM clients c WHERE c.client_id = ?\(lockingRowsRead)",
            [SQLValue(clientId)]
        ).first.map { row throws(StoreError) in try ClientRecord(row: row) }
    }

    func clientExists(_ clientId: String) throws(StoreError) -> Bool {
        try !query("SELECT 1 FROM clients WHERE client_id = ?", [SQLValue(clientId)]).isEmpty
    }

    /// eSignet rejected the client's create and never accepted any call for it (SPEC 7.3).
    func esignetRefusedCreation(of clientId: String) throws(StoreError) -> Bool {
        try !query(
            """
            SELECT 1 WHERE EXISTS (SELECT 1 FROM outbox WHERE target = 'esignet' AND ordering_key = ?1
                                   AND topic = 'OIDC_CLIENT_CREATED' AND status = 'rejected')
                AND NOT EXISTS (SELECT 1 FROM outbox WHERE target = 'esignet' AND ordering_key = ?1
                                AND status = 'delivered')
            """,
            [SQLValue(clientId)]
        ).isEmpty
    }

    /// Removes a client eSignet refused, with its undelivered eSignet calls, so they stop holding its key.
    func removeRefusedClient(_ clientId: String) throws(StoreError) {
        try execute(
            "DELETE FROM outbox WHERE target = 'esignet' AND ordering_key = ? AND status <> 'delivered'",
            [SQLValue(clientId)])
        try execute("DELETE FROM clients WHERE client_id = ?", [SQLValue(clientId)])
    }

    /// Inserts a client from its ``ClientRecord/bindings``.
    func insertClient(_ bindings: [SQLValue]) throws(StoreError) {
        try execute(
            """
            INSERT INTO clients (client_id, name, name_lang_map, policy_id, auth_partner_id, logo_uri, redirect_uris,
                public_key, claims, acr_values, status, grant_types, client_auth_methods, created_at, updated_at, view,
                additional_config)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
            """,
            bindings
        )
    }

    /// Writes the fields an update may change; key, claims, ACRs, partner and policy are left alone.
    func update(_ client: ClientRecord) throws(StoreError) {
        try execute(
            """
            UPDATE clients SET name = ?2, name_lang_map = ?3, logo_uri = ?6, redirect_uris = ?7, status = ?11,
                grant_types = ?12, client_auth_methods = ?13, updated_at = ?15, view = ?16, additional_config = ?17
            WHERE client_id = ?1
            """,
            client.bindings
        )
    }
}

extension SQLQuerying where Self: ~Copyable {
    /// The mapping's status, or nil when PMS never mapped the partner to the policy.
    func partnerPolicyStatus(partnerId: String, policyId: String) throws(StoreError) -> String? {
        try query(
            "SELECT status FROM partner_policies WHERE partner_id = ? AND policy_id = ?",
            [SQLValue(partnerId), SQLValue(policyId)]
        ).first.map { row throws(StoreError) in try row.string(0) }
    }
}
