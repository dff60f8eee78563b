// Group children record Sendable readings in an actor; a computed property reads the count.
struct TemperatureReading: Sendable {
  var measurement: Int
}

actor Station {
  var readings: [TemperatureReading] = []
  func record(_ r: TemperatureReading) { readings.append(r) }
  var count: Int { readings.count }
}

let station = Station()
await withTaskGroup(of: Void.self) { group in
  for m in [20, 21, 22] {
    group.addTask { await station.record(TemperatureReading(measurement: m)) }
  }
}
print("recorded", await station.count)
