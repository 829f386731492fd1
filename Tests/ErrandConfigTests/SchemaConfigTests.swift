import Errand
import Foundation
import Testing

@testable import ErrandConfig

@Suite("schema: payloads checked when a run is triggered")
struct SchemaConfigTests {
    static let yaml = """
        tasks:
          signup:
            shell: cat
            schema:
              type: object
              required: [email]
              properties:
                email: { type: string, pattern: "^[^@]+@[^@]+$" }
                age: { type: integer, minimum: 13 }
                plan: { enum: [free, pro] }
        """

    @Test("schema: is read as a JSON Schema")
    func parses() throws {
        let task = try parseTask(Self.yaml)
        let schema = try #require(task.schema)
        #expect(throws: Never.self) { try schema.validate(.object(["email": .string("ada@example.com"), "age": .integer(36)])) }
        let error = #expect(throws: ErrandError.self) { try schema.validate(.object(["email": .string("ada@example.com"), "age": .integer(7)])) }
        #expect(error?.field == "payload.age")
    }

    @Test("a bad keyword is reported at its key, with its path inside the schema")
    func badKeyword() throws {
        let error = try #require(parseError(
            "tasks:\n  t:\n    shell: \"true\"\n    schema:\n      type: object\n      properties:\n        age: { type: integer, minimum: lots }\n"
        ))
        #expect(error.line == 7 && error.column == 31)
        #expect(error.keyPath == "tasks.t.schema.properties.age.minimum")
        #expect(error.message == "a number")
        let unknown = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    schema: { type: object, requird: [a] }\n"))
        #expect(unknown.line == 4 && unknown.column == 29 && unknown.keyPath == "tasks.t.schema.requird")
        #expect(unknown.message.contains("unknown keyword"))
        let notObject = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    schema: [a]\n"))
        #expect(notObject.line == 4 && notObject.column == 13 && notObject.keyPath == "tasks.t.schema")
    }

    @Test("a payload that breaks the schema is rejected at trigger, naming the field, and nothing is stored")
    func rejectsAtTrigger() async throws {
        let errand = try registeredEngine(Self.yaml)
        let missing = await #expect(throws: ErrandError.self) {
            try await errand.trigger(TriggerRequest(task: "signup", payload: Data(#"{"age":30}"#.utf8)))
        }
        #expect(missing?.field == "payload.email" && missing?.code == .invalidArgument)
        let wrongPlan = await #expect(throws: ErrandError.self) {
            try await errand.trigger(TriggerRequest(task: "signup", payload: Data(#"{"email":"a@b","plan":"gold"}"#.utf8)))
        }
        #expect(wrongPlan?.field == "payload.plan" && wrongPlan?.message.contains(#""gold""#) == true)
        #expect(try await errand.runs().runs.isEmpty)
        let id = try await errand.trigger(TriggerRequest(task: "signup", payload: Data(#"{"email":"a@b","plan":"pro"}"#.utf8)))
        #expect(try await errand.runs().runs.map(\.id) == [id])
    }

    @Test("a published event whose payload breaks a subscriber's schema is rejected, naming the field")
    func rejectsEvent() async throws {
        let errand = try registeredEngine(Self.yaml + "\n    on: user.signed-up\n")
        let error = await #expect(throws: ErrandError.self) {
            try await errand.publish(event: "user.signed-up", payload: Data(#"{"email":42}"#.utf8))
        }
        #expect(error?.field == "payload.email")
        #expect(try await errand.runs().runs.isEmpty)
    }
}
