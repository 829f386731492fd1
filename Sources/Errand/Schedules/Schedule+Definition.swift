import Foundation

extension Schedule {
    /// Takes `other`'s definition (task, timing, payload, policies, external id, declared flag),
    /// keeping this schedule's identity, pause flag and firing state; the next fire time is taken
    /// only when the timing changed. The update every ``ScheduleStore`` performs in
    /// ``ScheduleStore/upsertSchedules(_:onConflict:now:)`` for a changed definition.
    public mutating func adoptDefinition(of other: Schedule, at now: Date) {
        if !hasSameTiming(as: other) { nextFireAt = other.nextFireAt }
        task = other.task
        expression = other.expression
        kind = other.kind
        timeZone = other.timeZone
        anchor = other.anchor
        payload = other.payload
        catchUp = other.catchUp
        overlap = other.overlap
        externalID = other.externalID
        declared = other.declared
        updatedAt = now
    }
}
