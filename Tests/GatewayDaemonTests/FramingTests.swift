import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// SPEC 2, framing: one request per line (`\r\n` accepted, empty lines ignored), one compact
/// response per line, responses in request order however many are pipelined.
@Suite(.tags(.process)) struct FramingTests {
    @Test func crlfLineEndingsAndEmptyLinesAreAccepted() throws {
        let client = try TestDaemon().client()
        let text =
            "\r\n\n"
            + RequestLine.call(id: 1, "system.health") + "\r\n"
            + "\n   \n\t\r\n"
            + RequestLine.call(id: 2, "system.health") + "\n"
            + "\r\n"
        try client.send(text)
        try client.send(RequestLine.call(id: 3, "system.health") + "\r\n")
        // Three requests, three replies: the empty and blank lines got none.
        let replies = try client.readJSON(count: 3)
        #expect(replies.map { $0["id"] } == [1, 2, 3])
        #expect(replies.allSatisfy { $0["result"]?["status"] == "ok" })
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let client = try TestDaemon().client()
        // Methods of different cost (a cached document, a read, a failing lookup, an error) so
        // that answering out of order would show.
        let methods = ["system.health", "rpc.discover", "journal.list", "no.such.method", "partner.get"]
        var text = ""
        for id in 1...500 {
            let method = methods[id % methods.count]
            text +=
                RequestLine.call(id: id, method, params: method == "partner.get" ? #"{"partnerId":"p\#(id)"}"# : nil)
                + "\n"
        }
        try client.send(text)
        for id in 1...500 {
            let reply = try client.readJSON()
            try #require(reply["id"] == JSONValue(id), "reply \(id) out of order: \(reply.serialized().prefix(200))")
            #expect(reply["result"] != nil || reply["error"] != nil)
        }
    }

    @Test func eachResponseIsOneCompactLine() throws {
        let client = try TestDaemon().client()
        // An id with an escaped newline and a large, nested result: both must stay on one line.
        try client.send(RequestLine.call(id: #""line\nbreak \u2028 \"quoted\"""#, "rpc.discover") + "\n")
        try client.send(RequestLine.call(id: 2, "system.health") + "\n")
        let first = try #require(try client.readLine())
        let second = try #require(try client.readLine())
        let document = try JSONValue.parse(first)
        #expect(document["id"] == .string("line\nbreak \u{2028} \"quoted\""))
        #expect(document["result"]?["methods"]?.arrayValue?.isEmpty == false)
        #expect(try JSONValue.parse(second)["id"] == 2)
        for line in [first, second] {
            #expect(!line.contains("\r"))
            // Compact: serializing the parsed value again (no whitespace) gives the same text.
            #expect(try JSONValue.parse(line).serialized() == line)
            #expect(!line.contains("\": ") && !line.contains(", \""))
        }
    }

    @Test func aRequestSplitAcrossWritesIsOneRequest() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        // Each byte is sent once the daemon has read the one before: every read brings one byte.
        try client.sendBytewise(Array((RequestLine.call(id: 41, "system.health") + "\r\n").utf8))
        let reply = try client.readJSON()
        #expect(reply["id"] == 41)
        #expect(reply["result"]?["status"] == "ok")
    }

    /// Pipelined calls run in order, not just answer in order: each sees the effects of the
    /// calls before it on the same connection (writes wait for a commit, reads do not, and a read
    /// must still not overtake the write before it).
    @Test func pipelinedCallsSeeTheEffectsOfEarlierCalls() throws {
        let client = try TestDaemon().client()
        var text = ""
        for index in 1...40 {
            let partner = Fixtures.partner("P-\(index)").serialized()
            let renamed = #"{"partnerId":"P-\#(index)","partnerType":"Auth_Partner","name":"second","status":"ACTIVE"}"#
            text += RequestLine.call(id: 4 * index, "partner.put", params: partner) + "\n"
            text += RequestLine.call(id: 4 * index + 1, "partner.get", params: #"{"partnerId":"P-\#(index)"}"#) + "\n"
            text += RequestLine.call(id: 4 * index + 2, "partner.put", params: renamed) + "\n"
            text += RequestLine.call(id: 4 * index + 3, "partner.get", params: #"{"partnerId":"P-\#(index)"}"#) + "\n"
        }
        try client.send(text)
        for index in 1...40 {
            let replies = try client.readJSON(count: 4)
            #expect(replies.map { $0["id"]?.intValue } == (0..<4).map { 4 * index + $0 })
            #expect(replies[1]["result"]?["name"] == .string("Partner P-\(index)"), "\(replies[1].serialized())")
            #expect(replies[3]["result"]?["name"] == "second", "\(replies[3].serialized())")
        }
    }
}
