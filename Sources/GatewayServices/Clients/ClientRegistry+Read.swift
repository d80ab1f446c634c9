import GatewayJSON
import GatewayStore

extension ClientRegistry {
    /// `client.get`: one indexed query on a read connection; the key comes back public members only.
    public nonisolated func get(_ params: JSONObject) throws -> JSONValue {
        let clientId = try ParamReader(params).string("clientId", size: 1...Int.max)
        let found = try store.read { connection throws -> (ClientRecord, String)? in
            guard
                let row = try connection.queryFirst(
                    """
                    SELECT \(ClientRecord.columns), p.name AS policy_name
                    FROM clients c LEFT JOIN policies p ON p.policy_id = c.policy_id
                    WHERE c.client_id = ?
                    """,
                    [SQLValue(clientId)])
            else { return nil }
            return (try ClientRecord(row: row), try row.optionalString("policy_name") ?? "")
        }
        guard let (client, policyName) = found else { throw ClientErrors.clientNotFound }
        return client.json(policyName: policyName)
    }

    /// `client.list`: oldest first, paged by `seq` so pages stay stable while clients are added.
    public nonisolated func list(_ params: JSONObject) throws -> JSONValue {
        let query = try ClientListQuery(params: params)
        let (clients, hasMore) = try store.read { connection in try query.run(on: connection) }
        let nextCursor: JSONValue = hasMore ? clients.last.map { .string(String($0.seq)) } ?? .null : .null
        return ["clients": .array(clients.map(\.record.summary)), "nextCursor": nextCursor]
    }

    /// `policy.derive`: SPEC 4.3 steps 4, 6 and 7 as a dry run, for `{policyId}` or an inline `{policy}`.
    public nonisolated func derive(_ params: JSONObject) throws -> JSONValue {
        let document = try policyDocument(params)
        let derivation = try mappings.mappings.derive(policy: document)
        return ["claims": JSONValue(derivation.claims), "acrValues": JSONValue(derivation.acrValues)]
    }

    /// `policyId` wins when both are given, because a stored policy is what `client.create` uses.
    private nonisolated func policyDocument(_ params: JSONObject) throws -> JSONValue {
        let reader = ParamReader(params)
        if params["policyId"] == nil || params["policyId"] == .null, let inline = try reader.optionalObject("policy") {
            try PolicyRules.check(inline, type: "Auth")
            return .object(inline)
        }
        let policyId = try reader.string("policyId", size: 1...36)
        guard let policy = try store.read({ connection in try connection.policy(policyId) }) else {
            throw ClientErrors.policyNotFound
        }
        guard policy.policyType == "Auth" else { throw ClientErrors.policyTypeMismatch }
        return policy.policy
    }
}
