import GatewayJSON
import GatewayStore

/// A partner as PMS pushes it (SPEC 4.2 `partner.put`).
package struct PartnerRecord: Sendable, Equatable {
    package var partnerId: String
    package var partnerType: String
    package var name: String
    package var status: String
    package var certificateData: String?

    init(partnerId: String, partnerType: String, name: String, status: String, certificateData: String?) {
        self.partnerId = partnerId
        self.partnerType = partnerType
        self.name = name
        self.status = status
        self.certificateData = certificateData
    }

    /// Reads `partner.put` params in the order of the method's fields.
    package init(params: JSONObject) throws(GatewayError) {
        let reader = ParamReader(params)
        partnerId = try reader.string("partnerId", size: 1...36)
        partnerType = try reader.string("partnerType", size: 1...36)
        name = try reader.string("name", size: 1...128)
        status = try reader.oneOf("status", ["ACTIVE", "INACTIVE"], caseInsensitive: true)
        certificateData = try reader.optionalString("certificateData")
    }

    init(row: Row) throws(StoreError) {
        partnerId = try row.string("partner_id")
        partnerType = try row.string("partner_type")
        name = try row.string("name")
        status = try row.string("status")
        certificateData = try row.optionalString("certificate_data")
    }

    var isActive: Bool { status == "ACTIVE" }

    /// `partner.get`'s result, and the journal's `change` for `partner.put`.
    package var json: JSONValue {
        [
            "partnerId": .string(partnerId), "partnerType": .string(partnerType), "name": .string(name),
            "status": .string(status), "certificateData": JSONValue(certificateData),
        ]
    }

    static let selectSQL =
        "SELECT partner_id, partner_type, name, status, certificate_data FROM partners WHERE partner_id = ?"
}

extension SQLQuerying where Self: ~Copyable {
    func partner(_ partnerId: String) throws(StoreError) -> PartnerRecord? {
        try query(PartnerRecord.selectSQL, [SQLValue(partnerId)]).first.map { row throws(StoreError) in
            try PartnerRecord(row: row)
        }
    }
}
