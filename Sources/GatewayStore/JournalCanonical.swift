/// Writes the RFC 8785 canonical JSON of a journal entry without its `hash`, straight from the
/// entry's fields.
///
/// Appending and verifying both use this one function, so they cannot disagree; a test checks it
/// byte for byte against `JSONValue.canonicalBytes()` of what `journal.list` returns, which is
/// what an outside auditor recomputes. Building bytes directly instead of a `JSONValue` and
/// sorting keys is what lets verify cover a million entries in well under a second of hashing.
///
/// Member order is fixed by JCS (UTF-16 code-unit order of the keys):
/// `at, change, entityId, entityType, method, peer{gid, pid, uid}, prevHash, requestId, seq`.
struct JournalCanonical {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(512)
    }

    /// `change` must already be canonical JSON text; it is copied verbatim.
    mutating func build(
        seq: Int64,
        at: some Collection<UInt8>,
        change: some Collection<UInt8>,
        entityId: some Collection<UInt8>,
        entityType: some Collection<UInt8>,
        method: some Collection<UInt8>,
        peerUid: Int64, peerGid: Int64, peerPid: Int64,
        prevHash: some Collection<UInt8>,
        requestId: (some Collection<UInt8>)?
    ) {
        bytes.removeAll(keepingCapacity: true)
        literal("{\"at\":")
        string(at)
        literal(",\"change\":")
        bytes.append(contentsOf: change)
        literal(",\"entityId\":")
        string(entityId)
        literal(",\"entityType\":")
        string(entityType)
        literal(",\"method\":")
        string(method)
        literal(",\"peer\":{\"gid\":")
        integer(peerGid)
        literal(",\"pid\":")
        integer(peerPid)
        literal(",\"uid\":")
        integer(peerUid)
        literal("},\"prevHash\":")
        string(prevHash)
        literal(",\"requestId\":")
        if let requestId { string(requestId) } else { literal("null") }
        literal(",\"seq\":")
        integer(seq)
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func literal(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// JCS string escaping: quote, backslash and C0 controls only (short forms where JSON has
    /// them, else `\u00xx` in lower case); all other UTF-8 is copied as is.
    private mutating func string(_ utf8: some Collection<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0x08: escape(UInt8(ascii: "b"))
            case 0x09: escape(UInt8(ascii: "t"))
            case 0x0A: escape(UInt8(ascii: "n"))
            case 0x0C: escape(UInt8(ascii: "f"))
            case 0x0D: escape(UInt8(ascii: "r"))
            case 0..<0x20:
                literal("\\u00")
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ letter: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(letter)
    }

    /// Integers print the same in JCS (ECMAScript) and decimal; the journal's are far below 2^53.
    private mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether `hex` is exactly the lower-case hex spelling of `digest`.
    static func hex(_ hex: UnsafeBufferPointer<UInt8>, spells digest: [UInt8]) -> Bool {
        guard hex.count == digest.count * 2 else { return false }
        var index = 0
        for byte in digest {
            if hex[index] != hexDigits[Int(byte >> 4)] || hex[index + 1] != hexDigits[Int(byte & 0x0F)] {
                return false
            }
            index += 2
        }
        return true
    }
}
