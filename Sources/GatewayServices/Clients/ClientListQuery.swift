import GatewayJSON
import GatewayStore

/// `client.list` params and the page query they make.
///
/// The cursor is the last returned row's `seq` as a decimal string: rows are only ever appended
/// with larger `seq`s, so a cursor never skips or repeats a client however many are added.
package struct ClientListQuery: Sendable {
    static let defaultLimit = 50

    var authPartnerId: String?
    var status: String?
    var limit: Int
    var afterSeq: Int

    package init(params: JSONObject) throws(GatewayError) {
        let reader = ParamReader(params)
        authPartnerId = try reader.optionalString("authPartnerId", size: 1...100)
        status = try Self.status(reader)
        limit = try reader.optionalInt("limit", range: 1...500) ?? Self.defaultLimit
        afterSeq = try Self.cursor(params["cursor"])
    }

    /// One page plus the cursor of the next (one extra row is fetched to know whether there is one).
    ///
    /// Only the scalar columns a list entry shows are read: a page of 500 parses no JSON at all.
    func run(on connection: ReadConnection) throws(StoreError) -> ClientPage {
        var sql = """
            SELECT \(ClientSummary.columns), \(ESignetState.columns) FROM clients c \(ESignetState.latestRowJoin)
            WHERE c.seq > ?
            """
        var bindings = [SQLValue(afterSeq)]
        if let authPartnerId {
            sql += " AND c.auth_partner_id = ?"
            bindings.append(SQLValue(authPartnerId))
        }
        if let status {
            sql += " AND c.status = ?"
            bindings.append(SQLValue(status))
        }
        sql += " ORDER BY c.seq LIMIT ?"
        bindings.append(SQLValue(limit + 1))
        let rows = try connection.query(sql, bindings)
        let page = try rows.prefix(limit).map { row throws(StoreError) in try ClientSummary(row: row) }
        return ClientPage(clients: page, nextCursor: rows.count > limit ? page.last.map { String($0.seq) } : nil)
    }

    private static func status(_ reader: ParamReader) throws(GatewayError) -> String? {
        guard let text = try reader.optionalString("status") else { return nil }
        guard let status = ClientStatus.all.first(where: { $0 == text.uppercased() }) else {
            throw .invalidParameter("status", "must be one of \(ClientStatus.all.joined(separator: ", "))")
        }
        return status
    }

    /// Absent or null starts at the oldest client; anything but a cursor this method returned is refused.
    private static func cursor(_ value: JSONValue?) throws(GatewayError) -> Int {
        switch value {
        case nil, .null?:
            return 0
        case .string(let text)? where !text.isEmpty && text.utf8.allSatisfy({ (48...57).contains($0) }):
            guard let seq = Int(text) else { break }
            return seq
        default:
            break
        }
        throw .invalidParameter("cursor", "must be a cursor returned by client.list")
    }
}

/// One page of `client.list`.
package struct ClientPage: Sendable {
    package var clients: [ClientSummary]
    /// nil on the last page.
    package var nextCursor: String?
}

/// A `client.list` entry: the client's scalar fields.
package struct ClientSummary: Sendable, Equatable {
    package var seq: Int
    package var clientId: String
    package var name: String
    package var authPartnerId: String
    package var policyId: String
    package var status: String
    package var createdAt: String
    package var updatedAt: String
    package var esignet: ESignetState?

    static let columns =
        "c.seq, c.client_id, c.name, c.auth_partner_id, c.policy_id, c.status, c.created_at, c.updated_at"

    init(row: Row) throws(StoreError) {
        seq = try row.int(0)
        clientId = try row.string(1)
        name = try row.string(2)
        authPartnerId = try row.string(3)
        policyId = try row.string(4)
        status = try row.string(5)
        createdAt = try row.string(6)
        updatedAt = try row.string(7)
        esignet = try ESignetState(row, from: 8)
    }
}
