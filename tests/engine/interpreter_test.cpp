// The interpreter, driven through real Swift source: parse_swift -> Controller -> the lines
// the program prints. Expected lines are what a real Swift 6 run prints.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {
using Lines = std::vector<std::string>;

struct Ran {
    Lines lines;
    std::vector<Tick> times;
    std::vector<std::string> tasks;  ///< the lane name of the task that printed each line
    RunStatus status;
    std::vector<std::string> task_names;
    std::uint64_t narrations = 0;
    std::uint32_t first_narration = 0;
};

Ran run(const std::string& text) {
    auto file = std::make_shared<SourceFile>("test.swift", text);
    ParseResult parsed = parse_swift(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program);
    c.run_until_idle();
    Ran r;
    for (const auto& l : c.output()) {
        r.lines.push_back(l.text);
        r.times.push_back(l.time);
        r.tasks.push_back(c.trace().task(l.task).name);
    }
    r.status = c.status();
    for (std::size_t t = 1; t < c.trace().tasks().size(); ++t) r.task_names.push_back(c.trace().task(static_cast<TaskId>(t)).name);
    for (std::uint64_t i = 0; i < c.trace().size(); ++i) {
        const Event e = c.trace().at(i);
        if (e.kind == EventKind::narration) {
            if (r.narrations++ == 0) r.first_narration = e.payload;
        }
    }
    if ((r.status.state == RunState::runtime_error || r.status.state == RunState::internal_error) && r.status.diagnostic)
        MESSAGE(render(*file, *r.status.diagnostic));
    return r;
}

bool has_name(const Ran& r, const std::string& name) {
    return std::find(r.task_names.begin(), r.task_names.end(), name) != r.task_names.end();
}
}  // namespace

// ---------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------

TEST_CASE("print writes numbers, strings and Booleans as Swift does") {
    auto r = run(R"SW(
print(42, -7, "text", true, false)
print(1.0, 0.1, 2.5, -3.25, 100.0, 1.0 / 3.0, 0.1 + 0.2)
print(1e20, 1e16, 1e15, 0.0001, 0.00001)
print(7 / 2, -7 / 2, 7 % 3)
)SW");
    CHECK(r.lines == Lines{"42 -7 text true false", "1.0 0.1 2.5 -3.25 100.0 0.3333333333333333 0.30000000000000004",
                           "1e+20 1e+16 1000000000000000.0 0.0001 1e-05", "3 -3 1"});
}

TEST_CASE("collections, tuples and Optionals print in Swift's debug form") {
    auto r = run(R"SW(
let n: Int? = nil
let five: Int? = 5
let name: String? = "swift"
print([1, 2], ["a", "b"], [String](), ["a": 1], [String: Int]())
print((1, "a"), (x: 1, y: 2.5))
print(five, n, name, [five, n])
print([["x"]: 1].count, ["k": ["v"]])
)SW");
    CHECK(r.lines == Lines{R"([1, 2] ["a", "b"] [] ["a": 1] [:])", R"((1, "a") (x: 1, y: 2.5))",
                           R"(Optional(5) nil Optional("swift") [Optional(5), nil])", R"(1 ["k": ["v"]])"});
}

TEST_CASE("structs, enums and errors print their Swift descriptions") {
    auto r = run(R"SW(
import Foundation
struct Point { var x: Int; var y: Int }
struct Person { let name: String }
struct MyError: Error {}
enum Color { case red, green }
print(Point(x: 1, y: 2), Person(name: "Kim"), MyError(), Color.red)
print(CancellationError())
print(URLError(.cancelled))
print("\(Color.green) \(Point(x: 3, y: 4))")
)SW");
    CHECK(r.lines == Lines{R"(Point(x: 1, y: 2) Person(name: "Kim") MyError() red)", "CancellationError()",
                           R"x(Error Domain=NSURLErrorDomain Code=-999 "(null)")x", "green Point(x: 3, y: 4)"});
}

TEST_CASE("print honours separator and terminator") {
    auto r = run(R"SW(
print("a", "b", "c", separator: "-")
print("no newline", terminator: "")
print(" then the rest")
print("x", terminator: "|\n")
)SW");
    CHECK(r.lines == Lines{"a-b-c", "no newline then the rest", "x|"});
}

TEST_CASE("string interpolation uses the same descriptions as print") {
    auto r = run(R"SW(
let xs = [1, 2, 3]
let maybe: Int? = 3
print("count \(xs.count), sum \(xs.reduce(0) { $0 + $1 }), first \(xs.first), \(maybe ?? 0), \(1 + 2)")
)SW");
    CHECK(r.lines == Lines{"count 3, sum 6, first Optional(1), 3, 3"});
}

// ---------------------------------------------------------------------------------------
// Language
// ---------------------------------------------------------------------------------------

TEST_CASE("closures capture variables by reference") {
    auto r = run(R"SW(
var count = 0
let increment = { count += 1 }
increment()
increment()
print(count)
var makers: [() -> Int] = []
for i in 1...3 {
    makers.append { i * 10 }
}
print(makers.map { $0() })
func makeCounter() -> () -> Int {
    var n = 0
    return {
        n += 1
        return n
    }
}
let next = makeCounter()
_ = next()
print(next())
)SW");
    CHECK(r.lines == Lines{"2", "[10, 20, 30]", "2"});
}

TEST_CASE("structs and arrays have value semantics, classes reference semantics") {
    auto r = run(R"SW(
struct Point { var x: Int; var y: Int }
class Counter {
    var n = 0
    func bump() { n += 1 }
}
var p = Point(x: 1, y: 2)
var q = p
q.x = 10
print(p.x, q.x)
var xs = [1, 2]
var ys = xs
ys.append(3)
print(xs, ys)
let c = Counter()
let alias = c
alias.bump()
alias.bump()
print(c.n)
)SW");
    CHECK(r.lines == Lines{"1 10", "[1, 2] [1, 2, 3]", "2"});
}

TEST_CASE("struct initialisers: memberwise, explicit and failable") {
    auto r = run(R"SW(
struct Size {
    var width: Int
    var height: Int = 1
}
struct Image {
    let size: Int
    init?(bytes: Int) {
        if bytes == 0 { return nil }
        size = bytes
    }
}
struct Named {
    var name: String
    init(_ n: String) { self.name = n.uppercased() }
    func greet() -> String { return "hi \(name)" }
}
print(Size(width: 3), Size(width: 2, height: 5))
print(Image(bytes: 0), Image(bytes: 8))
print(Named("kim").greet())
)SW");
    CHECK(r.lines == Lines{"Size(width: 3, height: 1) Size(width: 2, height: 5)", "nil Optional(Image(size: 8))", "hi KIM"});
}

TEST_CASE("optionals unwrap with if let, guard let, ??, ! and optional chaining") {
    auto r = run(R"SW(
struct Box { var inner: [Int]? }
let full: Box? = Box(inner: [4, 5])
let empty: Box? = nil
if let b = full, let xs = b.inner { print("if let", xs) }
func first(_ b: Box?) -> Int {
    guard let b, let xs = b.inner else { return -1 }
    return xs[0]
}
print(first(full), first(empty))
print(full?.inner?.count, empty?.inner?.count)
print(empty?.inner ?? [0])
print(full!.inner!)
let d = ["a": 1]
print(d["a"], d["z"], d["z", default: 9])
)SW");
    CHECK(r.lines == Lines{"if let [4, 5]", "4 -1", "Optional(2) nil", "[0]", "[4, 5]", "Optional(1) nil 9"});
}

TEST_CASE("errors: throw, do/catch patterns, try? and rethrowing") {
    auto r = run(R"SW(
enum NetError: Error { case timeout, refused }
struct Boom: Error {}
func risky(_ n: Int) throws -> Int {
    if n == 1 { throw NetError.timeout }
    if n == 2 { throw Boom() }
    return n
}
for n in 0...2 {
    do {
        let v = try risky(n)
        print("ok", v)
    } catch NetError.refused {
        print("refused")
    } catch let e as NetError {
        print("net", e)
    } catch {
        print("other", error)
    }
}
print(try? risky(1), try? risky(3))
do {
    try risky(2)
} catch is Boom {
    print("boom is Boom")
}
)SW");
    CHECK(r.lines == Lines{"ok 0", "net timeout", "other Boom()", "nil Optional(3)", "boom is Boom"});
}

TEST_CASE("defer bodies run in reverse order when the scope exits") {
    auto r = run(R"SW(
func work() -> Int {
    defer { print("defer 1") }
    defer { print("defer 2") }
    print("body")
    return 7
}
print(work())
do {
    defer { print("leaving do") }
    print("in do")
}
)SW");
    CHECK(r.lines == Lines{"body", "defer 2", "defer 1", "7", "in do", "leaving do"});
}

TEST_CASE("loops, ranges and collection methods") {
    auto r = run(R"SW(
var total = 0
var i = 0
while i < 5 {
    i += 1
    if i == 2 { continue }
    if i == 4 { break }
    total += i
}
print(total)
let words = ["b", "c", "a"]
print(words.sorted(), words.sorted { $0 > $1 }, words.joined(separator: "+"))
print(words.enumerated().map { "\($0.offset)\($0.element)" })
for (k, v) in ["x": 1].sorted(by: { $0.key < $1.key }) { print(k, v) }
print((1...4).filter { $0 % 2 == 0 }, Array(0..<3), (0..<3).count, [3, 1, 2].max())
print(words.contains("a"), words.first(where: { $0 > "a" }), "hello".count, "Hi".lowercased())
)SW");
    CHECK(r.lines == Lines{"4", R"(["a", "b", "c"] ["c", "b", "a"] b+c+a)", R"(["0b", "1c", "2a"])", "x 1",
                           "[2, 4] [0, 1, 2] 3 Optional(3)", R"(true Optional("b") 5 hi)"});
}

TEST_CASE("conversions between numbers and strings") {
    auto r = run(R"SW(
print(String(42), Int("12"), Int("x"), Double(3), Int(2.9), Double("2.5"))
print(String(describing: [1]), abs(-4), min(3, 1, 2), max(2.5, 1.0))
)SW");
    CHECK(r.lines == Lines{"42 Optional(12) nil 3.0 2 Optional(2.5)", "[1] 4 1 2.5"});
}

// ---------------------------------------------------------------------------------------
// Swift concurrency
// ---------------------------------------------------------------------------------------

TEST_CASE("a task that sleeps prints after main's sleep lets it run") {
    auto r = run(R"SW(
Task {
    try await Task.sleep(for: .seconds(1))
    print("task done")
}
print("main")
try await Task.sleep(for: .seconds(2))
print("main done")
)SW");
    CHECK(r.lines == Lines{"main", "task done", "main done"});
    CHECK(r.times == std::vector<Tick>{0, k_second, 2 * k_second});
    CHECK(r.status.state == RunState::finished);
}

TEST_CASE("work still running when the top-level code returns is abandoned") {
    auto r = run(R"SW(
Task {
    try await Task.sleep(for: .seconds(5))
    print("never printed")
}
print("main returns")
)SW");
    CHECK(r.lines == Lines{"main returns"});
    CHECK(r.status.state == RunState::finished);
    CHECK(r.status.message.find("1 task was still running") != std::string::npos);
}

TEST_CASE("task.value returns the result or rethrows the task's error") {
    auto r = run(R"SW(
struct Boom: Error {}
let ok = Task { () -> Int in
    try? await Task.sleep(for: .milliseconds(500))
    return 21 * 2
}
let bad = Task { () throws -> Int in
    throw Boom()
}
print(await ok.value)
do {
    _ = try await bad.value
} catch {
    print("rethrown", error)
}
)SW");
    CHECK(r.lines == Lines{"42", "rethrown Boom()"});
    CHECK(r.times[0] == 500 * k_millisecond);
}

TEST_CASE("an error thrown out of an unawaited Task is dropped silently") {
    auto r = run(R"SW(
struct Boom: Error {}
Task { throw Boom() }
try await Task.sleep(for: .seconds(1))
print("main carries on")
)SW");
    CHECK(r.lines == Lines{"main carries on"});
    CHECK(r.status.state == RunState::finished);
}

TEST_CASE("an error escaping the top level ends the run like Swift's fatal error") {
    auto r = run(R"SW(
struct Boom: Error {}
func fail() throws { throw Boom() }
print("before")
try fail()
print("after")
)SW");
    CHECK(r.lines == Lines{"before"});
    CHECK(r.status.state == RunState::uncaught_error);
    CHECK(r.status.exit_code == 1);
    CHECK(r.status.stderr_text == "Fatal error: Error raised at top level: main.Boom()\n");
}

TEST_CASE("the deprecated Task.sleep(UInt64) ignores cancellation while Task.sleep(nanoseconds:) throws") {
    auto r = run(R"SW(
let stubborn = Task {
    await Task.sleep(2_000_000_000)
    print("stubborn woke, cancelled = \(Task.isCancelled)")
}
let polite = Task {
    do {
        try await Task.sleep(nanoseconds: 2_000_000_000)
    } catch {
        print("polite: \(error)")
    }
}
try await Task.sleep(for: .milliseconds(500))
stubborn.cancel()
polite.cancel()
await stubborn.value
await polite.value
)SW");
    CHECK(r.lines == Lines{"polite: CancellationError()", "stubborn woke, cancelled = true"});
    CHECK(r.times == std::vector<Tick>{500 * k_millisecond, 2 * k_second});
}

TEST_CASE("group.next() delivers results in completion order") {
    auto r = run(R"SW(
let order = await withTaskGroup(of: Int.self) { group in
    for n in [3, 1, 2] {
        group.addTask {
            try? await Task.sleep(for: .seconds(n))
            return n
        }
    }
    var seen: [Int] = []
    while true {
        guard let n = await group.next() else { break }
        seen.append(n)
    }
    return seen
}
print(order)
)SW");
    CHECK(r.lines == Lines{"[1, 2, 3]"});
}

TEST_CASE("withThrowingDiscardingTaskGroup throws the first child error") {
    auto r = run(R"SW(
struct Boom: Error {}
do {
    try await withThrowingDiscardingTaskGroup { group in
        group.addTask { throw Boom() }
        group.addTask {
            try await Task.sleep(for: .seconds(5))
            print("not reached: the group was cancelled")
        }
    }
} catch {
    print("group threw \(error)")
}
)SW");
    CHECK(r.lines == Lines{"group threw Boom()"});
}

TEST_CASE("async let children start at once and are awaited on first read") {
    auto r = run(R"SW(
func slow(_ n: Int) async -> Int {
    try? await Task.sleep(for: .seconds(n))
    return n * 10
}
async let a = slow(2)
async let b = slow(1)
print("both started")
let total = await a + b
print(total)
)SW");
    CHECK(r.lines == Lines{"both started", "30"});
    CHECK(r.times.back() == 2 * k_second);
}

TEST_CASE("Task.yield lets the other ready tasks run first") {
    auto r = run(R"SW(
Task { print("task runs") }
await Task.yield()
print("main after yield")
)SW");
    CHECK(r.lines == Lines{"task runs", "main after yield"});
}

TEST_CASE("lanes are named after their variables, callees and constructs") {
    auto r = run(R"SW(
func download(_ n: Int) async -> Int { n }
let worker = Task { 1 }
async let image1 = download(1)
_ = await withTaskGroup(of: Int.self) { group in
    group.addTask { await download(2) }
    group.addTask { 3 }
    return 0
}
Task { }
_ = await image1
_ = await worker.value
)SW");
    CHECK(has_name(r, "main"));
    CHECK(has_name(r, "worker"));
    CHECK(has_name(r, "image1"));
    CHECK(has_name(r, "download(2) #1"));
    CHECK(has_name(r, "addTask @7 #2"));
    CHECK(has_name(r, "Task {} @10"));
}

TEST_CASE("a statement with a note records a narration event when it starts") {
    auto r = run(R"SW(
print("a")
// tasklab: note Now the second line runs.
print("b")
)SW");
    CHECK(r.narrations == 1);
    CHECK(r.first_narration == 1);
}

// ---------------------------------------------------------------------------------------
// GCD
// ---------------------------------------------------------------------------------------

TEST_CASE("asyncAfter, notify and dispatchMain on the GCD model") {
    auto r = run(R"SW(
import Foundation
let queue = DispatchQueue.global()
let item = DispatchWorkItem { print("item runs") }
item.notify(queue: queue) { print("notified") }
queue.asyncAfter(deadline: .now() + 1.5) { print("after 1.5 s") }
queue.async(execute: item)
DispatchQueue.main.async { print("main queue") }
dispatchMain()
)SW");
    CHECK(r.lines == Lines{"item runs", "main queue", "notified", "after 1.5 s"});
    CHECK(r.times.back() == 1500 * k_millisecond);
    CHECK(r.status.state == RunState::finished);
    CHECK(r.status.message.find("dispatchMain() never returns") != std::string::npos);
    CHECK(has_name(r, "asyncAfter @6"));
}

TEST_CASE("inside a work item Task.isCancelled is false: it is not a Swift task") {
    auto r = run(R"SW(
import Foundation
let item = DispatchWorkItem { print("in item: \(Task.isCancelled) \(item.isCancelled)") }
item.perform()
item.cancel()
print(item.isCancelled)
)SW");
    CHECK(r.lines == Lines{"in item: false false", "true"});
}

// ---------------------------------------------------------------------------------------
// The seed examples of the Swift cancellation guide (UIKit replaced by a stand-in image,
// network latency supplied, main kept alive until the work is done).
// ---------------------------------------------------------------------------------------

TEST_CASE("seed: GCD cancel stops the outer loop but never reaches the inner item") {
    auto r = run(R"SW(
import Foundation
let globalQueue = DispatchQueue.global()
var outerItem: DispatchWorkItem!
outerItem = DispatchWorkItem {
    for i in 0...10 {
        if outerItem.isCancelled { break }
        sleep(1)
        print("➡️ 외부 작업 수행 완료: \(i)")
    }
    let innerItem = DispatchWorkItem {
        for j in 0...10 {
            print("✨ 내부 작업 수행 완료: \(j)")
        }
    }
    globalQueue.async(execute: innerItem)
}
globalQueue.async(execute: outerItem)
globalQueue.asyncAfter(deadline: .now() + 3) {
    outerItem.cancel()
}
sleep(5)
)SW");
    Lines want = {"➡️ 외부 작업 수행 완료: 0", "➡️ 외부 작업 수행 완료: 1", "➡️ 외부 작업 수행 완료: 2"};
    for (int j = 0; j <= 10; ++j) want.push_back("✨ 내부 작업 수행 완료: " + std::to_string(j));
    CHECK(r.lines == want);
    CHECK(has_name(r, "outerItem"));
    CHECK(has_name(r, "innerItem"));
}

namespace {
const char* const k_download = R"SW(
import Foundation
struct UIImage {
    let size: Int
    init?(data: Data) { size = data.count }
}
let url = "https://picsum.photos/200/300"
func downloadImage(from url: String) async throws -> UIImage {
    do {
        try Task.checkCancellation()
        let url = URL(string: url)!
        let (data, _) = try await URLSession.shared.data(from: url)
        guard let image = UIImage(data: data) else {
            throw URLError(.cannotDecodeContentData)
        }
        return image
    } catch {
        print("🟡 작업이 취소되었습니다.")
        throw error
    }
}
)SW";
}  // namespace

TEST_CASE("seed: a child's error reaching the group body cancels the running siblings") {
    auto r = run(std::string("// tasklab: latency URLSession.data 2s\n") + k_download + R"SW(
func faileDownloadImage() async throws -> UIImage {
    try await Task.sleep(for: .seconds(1))
    throw CancellationError()
}
func downloadImages() async throws -> [UIImage] {
    try await withThrowingTaskGroup(of: UIImage.self) { group in
        group.addTask {
            try await downloadImage(from: url)
        }
        group.addTask {
            try await faileDownloadImage()
        }
        group.addTask {
            try await downloadImage(from: url)
        }
        var images: [UIImage] = []
        for try await image in group {
            images.append(image)
        }
        return images
    }
}
Task { try? await downloadImages() }
try await Task.sleep(for: .seconds(3))
)SW");
    CHECK(r.lines == Lines{"🟡 작업이 취소되었습니다.", "🟡 작업이 취소되었습니다."});
    CHECK(r.times == std::vector<Tick>{k_second, k_second});
    CHECK(r.tasks == Lines{"downloadImage(from: url) #1", "downloadImage(from: url) #3"});
    CHECK(has_name(r, "faileDownloadImage() #2"));
}

TEST_CASE("seed: cancelling the outer task reaches every async let download") {
    auto r = run(std::string("// tasklab: latency URLSession.data 2s\n") + k_download + R"SW(
func downloadImages() async throws -> [UIImage] {
    async let image1: UIImage = downloadImage(from: url)
    async let image2: UIImage = downloadImage(from: url)
    async let image3: UIImage = downloadImage(from: url)
    return try await [image1, image2, image3]
}
Task {
    let task = Task {
        do {
            _ = try await downloadImages()
        } catch {
            print("🟡 Task: 작업이 취소되었습니다.")
        }
    }
    try await Task.sleep(for: .seconds(1))
    task.cancel()
}
try await Task.sleep(for: .seconds(3))
)SW");
    CHECK(r.lines == Lines{"🟡 작업이 취소되었습니다.", "🟡 작업이 취소되었습니다.", "🟡 작업이 취소되었습니다.",
                           "🟡 Task: 작업이 취소되었습니다."});
    CHECK(r.times.back() == k_second);
}

TEST_CASE("seed: cancelAll() after ten images makes for try await rethrow and loses them all") {
    auto r = run(std::string("// tasklab: latency URLSession.data 1s..3s\n// tasklab: seed 3\n") + k_download + R"SW(
func downloadImages() async throws -> [UIImage] {
    try await withThrowingTaskGroup(of: UIImage.self) { group in
        for _ in 0..<1_000 {
            group.addTask {
                try await downloadImage(from: url)
            }
        }
        var images: [UIImage] = []
        for try await image in group {
            if images.count == 10 {
                group.cancelAll()
            }
            images.append(image)
        }
        return images
    }
}
Task {
    if let images = try? await downloadImages() {
        print("downloadImages() → \(images.count) images")
    } else {
        print("downloadImages() threw: every image is lost")
    }
}
try await Task.sleep(for: .seconds(5))
)SW");
    REQUIRE(r.lines.size() > 100);
    CHECK(r.lines.back() == "downloadImages() threw: every image is lost");
    // Every download still in flight at the cancelAll() reports its cancellation once.
    CHECK(std::count(r.lines.begin(), r.lines.end(), "🟡 작업이 취소되었습니다.") ==
          static_cast<std::ptrdiff_t>(r.lines.size() - 1));
}

TEST_CASE("seed: an unstructured Task inside a cancelled task does not inherit the cancel") {
    auto r = run(R"SW(
let task1 = Task {
    sleep(1)
    if Task.isCancelled {
        print("🟡 Task1: 작업이 취소되었습니다.")
    }
    let task2 = Task {
        if Task.isCancelled {
            print("🟡 Task2: 작업이 취소되었습니다.")
            return
        }
        print("➡️ Task2 작업이 완료되었습니다.")
    }
}
task1.cancel()
sleep(2)
)SW");
    CHECK(r.lines == Lines{"🟡 Task1: 작업이 취소되었습니다.", "➡️ Task2 작업이 완료되었습니다."});
    CHECK(r.tasks == Lines{"task1", "task2"});
}

// ---------------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------------

TEST_CASE("a long loop of awaits that never park keeps the C++ stack flat") {
    auto r = run(R"SW(
func quick(_ n: Int) async -> Int { n }
var total = 0
for i in 0..<20_000 {
    total += await quick(i % 3)
}
await withTaskGroup(of: Int.self) { group in
    for _ in 0..<2_000 { group.addTask { 1 } }
    for await x in group { total += x }
}
print(total)
)SW");
    CHECK(r.lines == Lines{"21999"});
}

TEST_CASE("String(format:) and elapsed virtual time") {
    auto r = run(R"SW(
import Foundation
let start = Date()
let clock = ContinuousClock()
let t0 = clock.now
try await Task.sleep(for: .milliseconds(1500))
print(String(format: "%.2f s, %d%%, %@, %5.1f|%-3d|", Date().timeIntervalSince(start), 42, "ok", 2.25, 7))
print(clock.now - t0)
)SW");
    CHECK(r.lines == Lines{"1.50 s, 42%, ok,   2.2|7  |", "1.5 seconds"});
}

TEST_CASE("ranges of Doubles bound random durations and test membership") {
    auto r = run(R"SW(
// tasklab: seed 7
let r = 0.5...1.5
let pick = Double.random(in: r)
print(r, r.contains(pick), r.contains(2.0), pick >= 0.5 && pick <= 1.5)
)SW");
    CHECK(r.lines == Lines{"0.5...1.5 true false true"});
}

TEST_CASE("values take the declared type: Int literals become Doubles, T? wraps") {
    auto r = run(R"SW(
struct Reading {
    var celsius: Double
    var note: String? = nil
}
var d: Double = 1
let xs: [Double] = [1, 2.5]
var maybe: Int? = nil
maybe = 3
func half() -> Double { return 2 }
var reading = Reading(celsius: 20)
reading.celsius = 21
reading.note = "warm"
d += 1
print(d, xs, maybe, half(), reading)
)SW");
    CHECK(r.lines == Lines{R"(2.0 [1.0, 2.5] Optional(3) 2.0 Reading(celsius: 21.0, note: Optional("warm")))"});
}

TEST_CASE("static properties, nested mutation and mutation through an optional chain") {
    auto r = run(R"SW(
class Cache {
    static let shared = Cache()
    var store: [String: Int] = [:]
    func put(_ k: String, _ v: Int) { store[k] = v }
}
Cache.shared.put("a", 1)
struct Bag { var items: [Int] = [] }
var grid = [[0, 0], [0, 0]]
grid[0][1] = 5
var counts: [String: Int] = [:]
for w in ["a", "b", "a"] { counts[w, default: 0] += 1 }
var bag: Bag? = Bag()
bag?.items.append(9)
var none: Bag? = nil
none?.items.append(1)
print(Cache.shared.store, grid, counts, bag, none)
)SW");
    CHECK(r.lines == Lines{R"(["a": 1] [[0, 5], [0, 0]] ["a": 2, "b": 1] Optional(Bag(items: [9])) nil)"});
}

TEST_CASE("a forEach body that blocks runs on the coroutine path") {
    auto r = run(R"SW(
await withTaskGroup(of: Void.self) { group in
    for i in 1...2 {
        group.addTask {
            [1, 2].forEach { _ in sleep(1) }
            print("child \(i)")
        }
    }
}
)SW");
    CHECK(r.lines == Lines{"child 1", "child 2"});
    CHECK(r.times == std::vector<Tick>{2 * k_second, 2 * k_second});
}

TEST_CASE("a line left without its newline at the end is still output, by the task that printed it") {
    auto r = run(R"SW(
Task { print("from the task", terminator: "") }
try await Task.sleep(for: .seconds(1))
)SW");
    CHECK(r.lines == Lines{"from the task"});
    CHECK(r.tasks == Lines{"Task {} @2"});
}

TEST_CASE("serial queues, wait() and perform() on work items") {
    auto r = run(R"SW(
import Foundation
let serial = DispatchQueue(label: "serial")
let first = DispatchWorkItem {
    sleep(1)
    print("first done")
}
let second = DispatchWorkItem { print("second runs after first") }
serial.async(execute: first)
serial.async(execute: second)
second.wait()
print("main waited for second")
let inline = DispatchWorkItem { print("performed inline") }
inline.perform()
let skipped = DispatchWorkItem { print("never printed") }
skipped.cancel()
skipped.perform()
print("done")
)SW");
    CHECK(r.lines == Lines{"first done", "second runs after first", "main waited for second", "performed inline", "done"});
    CHECK(r.times[2] == k_second);
}

TEST_CASE("appending in place keeps value semantics for the other copies") {
    auto r = run(R"SW(
var xs = [1, 2]
let snapshot = xs
xs += xs
xs.append(3)
var s = "ab"
let t = s
s += "c"
print(xs, snapshot, s, t)
)SW");
    CHECK(r.lines == Lines{R"([1, 2, 1, 2, 3] [1, 2] abc ab)"});
}
