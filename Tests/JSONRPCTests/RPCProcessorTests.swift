import GatewayJSON
import JSONRPC
import Testing

/// SPEC 2's JSON-RPC rules, in process: envelopes, ids, batches and their limits, access per
/// entry, immediate versus deferred answers.
@Suite struct RPCProcessorTests {
    let methods = TestMethods()

    @Test(arguments: ["9007199254740993", "-1.5e3", #""str""#, "null", "0", "1E+2", "-0"])
    func theIDIsEchoedByteForByte(id: String) async throws {
        let (reply, immediate) = try await methods.processor().reply(to: request("echo", id: id))
        #expect(reply?.hasPrefix(#"{"jsonrpc":"2.0","id":\#(id),"result":"#) == true, "\(reply ?? "nil")")
        #expect(reply?.hasSuffix("\n") == true)
        #expect(immediate)
    }

    /// A handler's own serialization goes into the reply as it is, alone and in a batch, and
    /// reads the same as the tree it was made from.
    @Test func aResultSerializedByItsHandlerIsRepliedAsItIs() async throws {
        let params = #"{"n":1,"s":"a\"b","a":[1,{"x":null}]}"#
        let processor = methods.processor()
        let (single, immediate) = try await processor.reply(to: request("serialized.echo", id: "7", params: params))
        #expect(single == #"{"jsonrpc":"2.0","id":7,"result":\#(params)}"# + "\n")
        #expect(immediate)
        #expect(single == (try await processor.reply(to: request("echo", id: "7", params: params)).reply))
        let batch = "[\(request("serialized.echo", id: "1", params: params)),\(request("echo", id: "2"))]"
        #expect(
            try await processor.reply(to: batch).reply
                == #"[{"jsonrpc":"2.0","id":1,"result":\#(params)},{"jsonrpc":"2.0","id":2,"result":{}}]"# + "\n")
    }

    @Test func aNotificationRunsAndGetsNoReply() async throws {
        let (reply, immediate) = try await methods.processor().reply(to: request("echo", id: nil, params: #"{"n":1}"#))
        #expect(reply == nil)
        #expect(immediate)
        #expect(methods.ran == ["echo 1"])
    }

    @Test func immediateMethodsAreAnsweredAtOnceAndDeferredOnesLater() async throws {
        let processor = methods.processor()
        #expect(try await processor.reply(to: request("echo")).immediate)
        #expect(try await !processor.reply(to: request("slow.echo")).immediate)
        // A batch is answered at once only when every entry can be.
        #expect(try await processor.reply(to: "[\(request("echo")),\(request("nope"))]").immediate)
        #expect(try await !processor.reply(to: "[\(request("echo")),\(request("slow.echo"))]").immediate)
    }

    @Test func aBatchAnswersEachRequestInOrderAndNotificationsNot() async throws {
        let batch = [
            request("echo", id: "1", params: #"{"n":1}"#),
            request("echo", id: nil, params: #"{"n":2}"#),
            request("slow.echo", id: "3", params: #"{"n":3}"#),
            request("nope", id: #""x""#),
            "1",
            request("echo", id: "5", params: "[5]"),
            request("echo", id: nil, params: "[6]"),
        ]
        let reply = try await methods.processor().json("[" + batch.joined(separator: ",") + "]")
        let entries = try #require(reply.arrayValue)
        #expect(entries.map { $0["id"] } == [1, 3, "x", .null, 5])
        #expect(entries[0]["result"] == ["n": 1])
        #expect(entries[1]["result"] == ["n": 3])
        #expect(entries[2].errorCode == -32601 && entries[2].errorName == "GW_METHOD_NOT_FOUND")
        #expect(entries[3].errorCode == -32600 && entries[3].errorName == "GW_INVALID_REQUEST")
        #expect(entries[4].errorCode == -32602 && entries[4].errorName == "GW_INVALID_PARAMS")
        // Run in order; the notification with positional params was not run at all.
        #expect(methods.ran == ["echo 1", "echo 2", "slow.echo 3"])
    }

    @Test func aBatchOfNotificationsGetsNoReplyAndAnEmptyBatchOneError() async throws {
        let processor = methods.processor()
        let notifications = [request("echo", id: nil), request("nope", id: nil), request("slow.echo", id: nil)]
        #expect(try await processor.reply(to: "[" + notifications.joined(separator: ",") + "]").reply == nil)
        #expect(methods.ran == ["echo", "slow.echo"])
        let empty = try await processor.json("[]")
        #expect(empty.objectValue != nil, "one error object, not an array")
        #expect(empty.errorCode == -32600 && empty["id"] == .null)
    }

    @Test func aBatchOverMaxBatchIsRefusedWholeAndNothingRuns() async throws {
        let processor = methods.processor(maxBatch: 3)
        let four = (1...4).map { request("echo", id: "\($0)", params: #"{"n":\#($0)}"#) }
        let refused = try await processor.json("[" + four.joined(separator: ",") + "]")
        #expect(refused.errorCode == -32600 && refused.errorName == "GW_BATCH_TOO_LARGE")
        #expect(refused["id"] == .null)
        #expect(methods.ran.isEmpty)
        let three = try await processor.json("[" + four.prefix(3).joined(separator: ",") + "]")
        #expect(three.arrayValue?.count == 3)
    }

    /// The entry whose reply would take the line past `maxResponseBytes`, and every later one,
    /// get GW_RESPONSE_TOO_LARGE; the later ones are not run at all.
    @Test(arguments: [false, true])
    func entriesPastTheResponseCapAreRefusedAndNotRun(deferred: Bool) async throws {
        let processor = methods.processor(maxResponseBytes: 5000)
        var entries = (1...5).map { request("blob", id: "\($0)", params: #"{"size":1500,"n":\#($0)}"#) }
        if deferred { entries.append(request("slow.echo", id: "6", params: #"{"n":6}"#)) }
        let (text, _) = try await processor.reply(to: "[" + entries.joined(separator: ",") + "]")
        let line = try #require(text)
        #expect(line.utf8.count <= 5000 + 1000, "the refusals add little: \(line.utf8.count) bytes")
        let replies = try #require(try JSONValue.parse(line).arrayValue)
        #expect(replies.map { $0["id"]?.intValue } == (deferred ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5]))
        #expect(replies.prefix(3).allSatisfy { $0["result"]?["blob"]?.stringValue?.count == 1500 })
        #expect(replies.dropFirst(3).allSatisfy { $0.errorCode == -32600 && $0.errorName == "GW_RESPONSE_TOO_LARGE" })
        // The fourth ran (its reply is what crossed the cap); nothing after it did.
        #expect(methods.ran == ["blob 1", "blob 2", "blob 3", "blob 4"])
    }

    @Test func positionalParamsAreInvalidParamsWithTheID() async throws {
        let reply = try await methods.processor().json(request("echo", id: "9", params: "[1, 2]"))
        #expect(reply.errorCode == -32602)
        #expect(reply.errorName == "GW_INVALID_PARAMS")
        #expect(reply["id"] == 9)
        #expect(methods.ran.isEmpty)
    }

    @Test func accessIsCheckedPerEntry() async throws {
        let processor = methods.processor()
        let batch = [request("echo", id: "1"), request("secret", id: "2"), request("echo", id: "3")]
        let refused = try await processor.json("[" + batch.joined(separator: ",") + "]")
        let entries = try #require(refused.arrayValue)
        #expect(entries.map { $0["id"] } == [1, 2, 3])
        #expect(entries[1].errorCode == -32010 && entries[1].errorName == "GW_FORBIDDEN")
        #expect(entries[0]["result"] != nil && entries[2]["result"] != nil)
        #expect(methods.ran == ["echo", "echo"], "a forbidden method is not run")
        let allowed = try await processor.json(request("secret"), caller: Caller(mayCallSecrets: true))
        #expect(allowed["result"] == [:])
    }

    @Test func handlerErrorsGoThroughMapError() async throws {
        let reply = try await methods.processor().json(request("refuse", id: "4"))
        #expect(reply.errorCode == -32003 && reply.errorName == "TEST_REFUSED")
        #expect(reply["id"] == 4)
    }

    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":1,"method":"echo""#, "not json", #"{"jsonrpc":"2.0","id":05,"method":"echo"}"#,
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func unparsableLinesAreParseErrorsWithANullID(line: String) async throws {
        let reply = try await methods.processor().json(line)
        #expect(reply.errorCode == -32700 && reply.errorName == "GW_PARSE_ERROR")
        #expect(reply["id"] == .null)
        #expect(methods.ran.isEmpty)
    }

    @Test(arguments: [
        #"{"id":7,"method":"echo"}"#, #"{"jsonrpc":"1.0","id":7,"method":"echo"}"#, #"{"jsonrpc":"2.0","id":7}"#,
        #"{"jsonrpc":"2.0","id":7,"method":"echo","params":"x"}"#,
    ])
    func aMalformedEnvelopeIsInvalidRequestWithItsID(line: String) async throws {
        let reply = try await methods.processor().json(line)
        #expect(reply.errorCode == -32600 && reply.errorName == "GW_INVALID_REQUEST")
        #expect(reply["id"] == 7)
    }

    @Test(arguments: [#"{"a":1}"#, "[1]", "true"])
    func anIDOfTheWrongTypeIsInvalidRequestWithANullID(id: String) async throws {
        let reply = try await methods.processor().json(request("echo", id: id))
        #expect(reply.errorCode == -32600)
        #expect(reply["id"] == .null)
    }
}
