import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("JSON Schema payload validation")
struct JSONSchemaTests {
    static let signup = JSONValue(json: Data("""
        {"type": "object", "required": ["email", "plan"], "additionalProperties": false,
         "properties": {
            "email": {"type": "string", "pattern": "^[^@]+@[^@]+$", "maxLength": 100},
            "plan": {"enum": ["free", "pro"]},
            "seats": {"type": "integer", "minimum": 1, "maximum": 50},
            "tags": {"type": "array", "maxItems": 2, "items": {"type": "string", "minLength": 1}}
         }}
        """.utf8))

    @Test(arguments: [
        (#"{"email":"a@b.c","plan":"pro","seats":3,"tags":["x"]}"#, nil),
        (#"{"plan":"pro"}"#, "payload.email"),
        (#"{"email":"nope","plan":"pro"}"#, "payload.email"),
        (#"{"email":"a@b.c","plan":"gold"}"#, "payload.plan"),
        (#"{"email":"a@b.c","plan":"pro","seats":0}"#, "payload.seats"),
        (#"{"email":"a@b.c","plan":"pro","seats":2.5}"#, "payload.seats"),
        (#"{"email":"a@b.c","plan":"pro","tags":["a","b","c"]}"#, "payload.tags"),
        (#"{"email":"a@b.c","plan":"pro","tags":[""]}"#, "payload.tags[0]"),
        (#"{"email":"a@b.c","plan":"pro","extra":1}"#, "payload.extra"),
        (#"[1]"#, "payload"),
    ] as [(String, String?)])
    func payloadsAreCheckedAndTheFieldIsNamed(payload: String, field: String?) throws {
        let schema = try JSONSchema(Self.signup)
        if let field {
            #expect { try schema.validate(JSONValue(json: Data(payload.utf8))) } throws: { ($0 as? ErrandError)?.field == field }
        } else {
            try schema.validate(JSONValue(json: Data(payload.utf8)))
        }
    }

    @Test(arguments: [
        (#"{"type":"text"}"#, "schema.type"),
        (#"{"minimum":"1"}"#, "schema.minimum"),
        (#"{"pattern":"(["}"#, "schema.pattern"),
        (#"{"properties":{"a":{"maxLenght":3}}}"#, "schema.properties.a.maxLenght"),
        (#"{"required":"a"}"#, "schema.required"),
    ])
    func badSchemasNameTheKeyword(schema: String, field: String) {
        #expect { try JSONSchema(JSONValue(json: Data(schema.utf8))) } throws: { ($0 as? ErrandError)?.field == field }
    }

    @Test func aTaskWithASchemaRejectsBadPayloadsAtTriggerTime() async throws {
        let test = makeTestErrand()
        let schema = try JSONSchema(Self.signup)
        var task = TaskDefinition<JSONValue, JSONValue>("signup") { payload, _ in payload }
        task.payloadValidator = { try schema.validate($0) }
        try test.errand.register(task)
        await #expect { try await test.errand.trigger(task, JSONValue(json: Data(#"{"plan":"pro"}"#.utf8))) } throws: {
            ($0 as? ErrandError)?.field == "payload.email"
        }
        await #expect { try await test.errand.trigger(TriggerRequest(task: "signup", payload: Data(#"{"email":"x@y.z","plan":"x"}"#.utf8))) } throws: {
            ($0 as? ErrandError)?.field == "payload.plan"
        }
        #expect(try await test.errand.runs().runs.isEmpty)
        let id = try await test.errand.trigger(TriggerRequest(task: "signup", payload: Data(#"{"email":"x@y.z","plan":"free"}"#.utf8)))
        #expect(try await test.errand.state(id)?.status == .queued)
    }
}
