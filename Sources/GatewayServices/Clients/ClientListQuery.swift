import GatewayJSON
import GatewayStore

/// `client.list` params and the page query they make.
///
/// The cursor is the last returned row's `seq` as a decimal string: rows are only ever appended
/// with larger `seq`s, so a cursor never skips or repeats a client however many are added.
struct ClientListQuery: Sendable {
    static let defaultLimit = 50

    var authPartnerId: String?
    var status: String?
    var limit: Int
    var afterSeq: Int

    init(params: JSONObject) throws(GatewayError) {
        let reader = ParamReader(params)
        authPartnerId = try reader.optionalString("authPartnerId", size: 1...100)
        status = try Self.status(reader)
        limit = try reader.optionalInt("limit", range: 1...500) ?? Self.defaultLimit
        afterSeq = try Self.cursor(params["cursor"])
    }

    /// One page plus whether more rows follow (one extra row is fetched to know).
    func run(on connection: ReadConnection) throws -> (clients: [(seq: Int, record: ClientRecord)], hasMore: Bool) {
        var sql = "SELECT \(ClientRecord.columns) FROM clients c WHERE c.seq > ?"
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
        let page = try rows.prefix(limit).map { row throws in
            (seq: try row.int("seq"), record: try ClientRecord(row: row))
        }
        return (page, rows.count > limit)
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
