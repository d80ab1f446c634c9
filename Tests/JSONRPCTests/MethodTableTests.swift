import GatewayJSON
import JSONRPC
import Testing

/// The router's table: lookup, registration order, the OpenRPC document generated from it, and
/// rules applied to every method in one place.
@Suite struct MethodTableTests {
    let methods = TestMethods()

    @Test func looksMethodsUpByNameAndKeepsRegistrationOrder() {
        let table = methods.table
        #expect(table.names == ["echo", "slow.echo", "blob", "refuse", "secret", "serialized.echo"])
        #expect(table["echo"]?.isImmediate == true)
        #expect(table["slow.echo"]?.isImmediate == false)
        #expect(table["nope"] == nil)
    }

    @Test func theOpenRPCDocumentDescribesEveryMethodInOrder() throws {
        let document = methods.table.openRPCDocument(title: "test", version: "1.2.3")
        #expect(document["openrpc"] == "1.2.6")
        #expect(document["info"] == ["title": "test", "version": "1.2.3"])
        let entries = try #require(document["methods"]?.arrayValue)
        #expect(entries.map { $0["name"] } == ["echo", "slow.echo", "blob", "refuse", "secret", "serialized.echo"])
        #expect(entries.allSatisfy { $0["paramStructure"] == "by-name" })
        #expect(entries[0]["summary"] == "Returns its params.")
        #expect(entries[0]["params"] == [["name": "n", "required": false, "schema": ["type": "integer"]]])
        #expect(entries[2]["params"] == [["name": "size", "required": true, "schema": ["type": "integer"]]])
        #expect(entries[0]["result"]?["name"] == "echo.result")
        #expect(entries[0]["result"]?["schema"] == ["type": "object", "properties": ["n": [:]]])
    }

    /// `checkingParams` puts a check in front of every handler, immediate or deferred: a refused
    /// call never reaches its handler.
    @Test func aRuleAppliedToEveryMethodRunsBeforeEachHandler() async throws {
        var table = methods.table
        table.transformMethods { method in
            method.checkingParams { params in
                if params["n"] == 13 { throw Refusal() }
            }
        }
        #expect(table.names == methods.table.names, "same methods, same order")
        let processor = RPCProcessor<Caller>(
            table: table, limits: .init(maxBatch: 10), authorize: { _, _ in true },
            mapError: { _ in RPCError(code: .invalidParams, message: "Invalid params", errorCode: "TEST_CHECK") })
        for method in ["echo", "slow.echo"] {
            #expect(try await processor.json(request(method, params: #"{"n":13}"#)).errorName == "TEST_CHECK")
            #expect(try await processor.json(request(method, params: #"{"n":12}"#))["result"] == ["n": 12])
        }
        #expect(methods.ran == ["echo 12", "slow.echo 12"])
    }
}
