// The Swift Programming Language's temperature logger: an actor, a private(set) property
// and a method added by an extension, read from outside with await.
actor TemperatureLogger {
  let label: String
  var measurements: [Int]
  private(set) var max: Int

  init(label: String, measurement: Int) {
    self.label = label
    self.measurements = [measurement]
    self.max = measurement
  }
}

extension TemperatureLogger {
  func update(with measurement: Int) {
    measurements.append(measurement)
    if measurement > max {
      max = measurement
    }
  }
}

let logger = TemperatureLogger(label: "Outdoors", measurement: 25)
print(await logger.max)
await logger.update(with: 30)
print(await logger.max, await logger.measurements)
