import Errand
import Foundation
import Testing

/// `JSONValue`, the JSON that views embed (payloads, results, step outputs, token values): a
/// number reads back as it was written, however long.
@Suite("JSON values in views")
struct JSONValueTests {
    static func text(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test(arguments: [
        "12345678901234567890", "18446744073709551616", "-9223372036854775809", "3.141592653589793238462643",
        "0.30000000000000000001",
    ])
    func longNumbersReadBackAsWritten(number: String) throws {
        let value = JSONValue(json: Data("[\(number)]".utf8))
        guard case .array(let items) = value, case .decimal = items.first else {
            Issue.record("\(number) was read as \(value), not as a decimal")
            return
        }
        #expect(try Self.text(value) == "[\(number)]")
    }

    @Test func numbersADoubleHoldsKeepTheirCases() {
        #expect(JSONValue(json: Data("42".utf8)) == .integer(42))
        #expect(JSONValue(json: Data("-9223372036854775808".utf8)) == .integer(.min))
        #expect(JSONValue(json: Data("0.1".utf8)) == .number(0.1))
        #expect(JSONValue(json: Data("2.5e-10".utf8)) == .number(2.5e-10))
        #expect(JSONValue(json: Data("1e300".utf8)) == .number(1e300))
    }

    @Test func aRunViewShowsAPayloadsLongNumbersAsSent() throws {
        let payload = Data(#"{"amount":0.1,"id":12345678901234567890,"rate":1.000000000000000000001}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let record = RunRecord(
            id: RunID("run_1"), task: "t", queue: "q", status: .queued, payload: payload, createdAt: now, scheduledAt: now,
            updatedAt: now, maxAttempts: 1
        )
        let view = RunView(record, includeAttempts: false)
        let shown = try Self.text(view.payload)
        #expect(shown == String(decoding: payload, as: UTF8.self), "\(shown) from \(view.payload)")
    }

    @Test func schemasCompareLongNumbersExactly() throws {
        let schema = try JSONSchema(JSONValue(json: Data(#"{"type":"object","properties":{"id":{"type":"integer","const":12345678901234567890}}}"#.utf8)))
        try schema.validate(JSONValue(json: Data(#"{"id":12345678901234567890}"#.utf8)))
        #expect(throws: ErrandError.self, "a Double would make these two equal") {
            try schema.validate(JSONValue(json: Data(#"{"id":12345678901234567891}"#.utf8)))
        }
        let integer = try JSONSchema(JSONValue(json: Data(#"{"type":"integer"}"#.utf8)))
        try integer.validate(JSONValue(json: Data("18446744073709551616".utf8)))
        #expect(throws: ErrandError.self) { try integer.validate(JSONValue(json: Data("1.000000000000000000001".utf8))) }
    }
}
