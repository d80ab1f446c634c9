import GatewayJSON
import GatewayStore

/// What `client.create` and `client.update` answer: the client as committed, what its policy
/// lacks for eSignet's logins (SPEC 7.5), and, when the caller waited (SPEC 7.3), where eSignet's
/// call stood when the reply was sent.
package struct ClientWrite: Sendable {
    package let client: ClientRecord
    package let warnings: [PrerequisiteWarning]
    package var esignet: ESignetState? = nil
}

/// The bounds of `waitSeconds` (SPEC 7.3).
package enum ESignetWait {
    package static let range = 0...30
    /// Short next to eSignet's own round trip, long enough that a waiting caller costs the
    /// store one indexed read per poll.
    static let pollInterval = Duration.milliseconds(20)
}

/// Where a client's latest eSignet call stands (SPEC 7.3): `pending` (not delivered yet, also
/// while failing), `delivered`, or `rejected` with eSignet's code and message.
package struct ESignetState: Sendable, Equatable {
    package var state: String
    package var errorCode: String?
    package var message: String?
    package var attempts: Int
    package var updatedAt: String

    /// Joins the client's latest eSignet outbox row as `o` to `clients c`: one seek on
    /// `outbox_by_key` (target, ordering_key, seq), however many rows the client has.
    static let latestRowJoin = """
        LEFT JOIN outbox o ON o.seq = (SELECT max(l.seq) FROM outbox l
                                       WHERE l.target = 'esignet' AND l.ordering_key = c.client_id)
        """

    /// Five columns of the row `latestRowJoin` joins.
    static let columns = "o.status, o.error_code, o.last_error, o.attempts, coalesce(o.updated_at, o.created_at)"

    init?(_ row: Row, from index: Int) throws(StoreError) {
        guard let status = try row.optionalString(index) else { return nil }
        state = status == "delivered" || status == "rejected" ? status : "pending"
        errorCode = status == "rejected" ? try row.optionalString(index + 1) : nil
        message = status == "delivered" ? nil : try row.optionalString(index + 2)
        attempts = try row.int(index + 3)
        updatedAt = try row.string(index + 4)
    }

    package var json: JSONValue {
        var object = JSONObject([("state", .string(state))])
        if let errorCode { object["errorCode"] = .string(errorCode) }
        if let message { object["message"] = .string(message) }
        object["attempts"] = JSONValue(attempts)
        object["updatedAt"] = .string(updatedAt)
        return .object(object)
    }
}
