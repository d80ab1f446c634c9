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
    /// them, else `\u00xx` in lower case); all other UTF-8 is copied as is. Runs without anything
    /// to escape (nearly all of them) are copied in one piece.
    private mutating func string(_ utf8: some Collection<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        if utf8.withContiguousStorageIfAvailable({ escaped($0) }) == nil {
            Array(utf8).withUnsafeBufferPointer { escaped($0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escaped(_ buffer: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in 0..<buffer.count {
            let byte = buffer[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<index]))
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): escape(byte)
            case 0x08: escape(UInt8(ascii: "b"))
            case 0x09: escape(UInt8(ascii: "t"))
            case 0x0A: escape(UInt8(ascii: "n"))
            case 0x0C: escape(UInt8(ascii: "f"))
            case 0x0D: escape(UInt8(ascii: "r"))
            default:
                literal("\\u00")
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0x0F))
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart...]))
    }

    private mutating func escape(_ letter: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(letter)
    }

    /// Integers print the same in JCS (ECMAScript) and decimal; the journal's are far below 2^53.
    private mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
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

    /// A lower-case hex digit; a StaticString, so no lazily initialised global on the hot path.
    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        let digits: StaticString = "0123456789abcdef"
        return digits.utf8Start[Int(nibble)]
    }

    /// Whether `hex` is exactly the lower-case hex spelling of `digest`.
    static func hex(_ hex: some Collection<UInt8>, spells digest: [UInt8]) -> Bool {
        guard hex.count == digest.count * 2 else { return false }
        var characters = hex.makeIterator()
        for byte in digest {
            guard characters.next() == hexDigit(byte >> 4), characters.next() == hexDigit(byte & 0x0F) else {
                return false
            }
        }
        return true
    }
}
