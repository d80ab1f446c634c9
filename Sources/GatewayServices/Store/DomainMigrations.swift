import GatewayStore

/// The services' tables and the store's steps, numbered in the order they shipped.
///
/// JSON-valued columns hold canonical JSON text. Clients and licenses carry an integer `seq`
/// so lists page with a stable cursor in creation order.
package enum DomainMigrations {
    package static let all: [Migration] = Migration.numbered([
        Migration.storeSteps[0], tables, Migration.storeSteps[1], clientViews, policiesForIDA,
        "ALTER TABLE clients ADD COLUMN additional_config TEXT;", Migration.storeSteps[2], Migration.storeSteps[3],
    ])

    /// The same tables on PostgreSQL (SPEC 9): one step, the store's tables and the services'.
    package static let postgres: [Migration] = Migration.numbered([PostgresSchema.store + ";\n" + postgresTables])

    static let tables = """
        CREATE TABLE partners (
            partner_id       TEXT PRIMARY KEY,
            partner_type     TEXT NOT NULL,
            name             TEXT NOT NULL,
            status           TEXT NOT NULL,
            certificate_data TEXT,
            created_at       TEXT NOT NULL,
            updated_at       TEXT NOT NULL
        );
        CREATE TABLE policies (
            policy_id   TEXT PRIMARY KEY,
            policy_type TEXT NOT NULL,
            name        TEXT NOT NULL,
            description TEXT,
            status      TEXT NOT NULL,
            valid_from  TEXT,
            valid_to    TEXT,
            policy      TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE TABLE partner_policies (
            seq        INTEGER PRIMARY KEY AUTOINCREMENT,
            partner_id TEXT NOT NULL REFERENCES partners(partner_id),
            policy_id  TEXT NOT NULL REFERENCES policies(policy_id),
            status     TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (partner_id, policy_id)
        );
        CREATE TABLE clients (
            seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
            client_id           TEXT NOT NULL UNIQUE,
            name                TEXT NOT NULL,
            name_lang_map       TEXT,
            policy_id           TEXT NOT NULL REFERENCES policies(policy_id),
            auth_partner_id     TEXT NOT NULL REFERENCES partners(partner_id),
            logo_uri            TEXT NOT NULL,
            redirect_uris       TEXT NOT NULL,
            public_key          TEXT NOT NULL,
            claims              TEXT NOT NULL,
            acr_values          TEXT NOT NULL,
            status              TEXT NOT NULL,
            grant_types         TEXT NOT NULL,
            client_auth_methods TEXT NOT NULL,
            created_at          TEXT NOT NULL,
            updated_at          TEXT NOT NULL
        );
        CREATE INDEX clients_by_partner ON clients(auth_partner_id, seq);
        CREATE TABLE licenses (
            seq           INTEGER PRIMARY KEY AUTOINCREMENT,
            misp_id       TEXT NOT NULL UNIQUE REFERENCES partners(partner_id),
            license_key   TEXT NOT NULL UNIQUE,
            status        TEXT NOT NULL CHECK (status IN ('active', 'de-active')),
            policy_id     TEXT,
            created_at    TEXT NOT NULL,
            issued_at     TEXT NOT NULL,
            expires_at    TEXT NOT NULL,
            expires_at_ms INTEGER NOT NULL,
            updated_at    TEXT NOT NULL
        );
        """

    /// Version 4: each client keeps its `client.get` answer (without the joined `policyName`) as
    /// JSON text, written with every insert and update, so eSignet's hot path parses one document
    /// instead of rebuilding it from seven JSON columns. Rows written before get theirs here.
    static let clientViews = "ALTER TABLE clients ADD COLUMN view TEXT;\n" + fillClientViews

    static let fillClientViews = """
        UPDATE clients SET view = CASE WHEN name_lang_map IS NULL
            THEN json_object('clientId', client_id, 'name', name, 'policyId', policy_id,
                'authPartnerId', auth_partner_id, 'logoUri', logo_uri, 'redirectUris', json(redirect_uris),
                'publicKey', json(public_key), 'claims', json(claims), 'acrValues', json(acr_values),
                'status', status, 'grantTypes', json(grant_types), 'clientAuthMethods', json(client_auth_methods),
                'createdAt', created_at, 'updatedAt', updated_at)
            ELSE json_object('clientId', client_id, 'name', name, 'clientNameLangMap', json(name_lang_map),
                'policyId', policy_id,
                'authPartnerId', auth_partner_id, 'logoUri', logo_uri, 'redirectUris', json(redirect_uris),
                'publicKey', json(public_key), 'claims', json(claims), 'acrValues', json(acr_values),
                'status', status, 'grantTypes', json(grant_types), 'clientAuthMethods', json(client_auth_methods),
                'createdAt', created_at, 'updatedAt', updated_at)
            END;
        """

    /// Version 5: Auth and MISP policies stored before SPEC 7.4 required a description and dates
    /// get the ones the spec gives them: the name, the time of their first put, and 100 years
    /// after it. IDA stores all three as NOT NULL and drops an event that lacks one.
    static let policiesForIDA = """
        UPDATE policies SET description = name
        WHERE description IS NULL AND policy_type IN ('Auth', 'MISP');
        UPDATE policies SET valid_from = created_at
        WHERE valid_from IS NULL AND policy_type IN ('Auth', 'MISP');
        UPDATE policies SET valid_to = coalesce(
            strftime('%Y-%m-%dT%H:%M:%fZ', valid_from, '+100 years'),
            strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+100 years'))
        WHERE valid_to IS NULL AND policy_type IN ('Auth', 'MISP');
        """
}
