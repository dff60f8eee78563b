// A recursive (indirect) enum taken apart by a recursive switch, and how nested payloads print.
indirect enum Expr {
    case number(Int)
    case add(Expr, Expr)
    case mul(Expr, Expr)
}
func eval(_ e: Expr) -> Int {
    switch e {
    case .number(let n): return n
    case let .add(a, b): return eval(a) + eval(b)
    case let .mul(a, b): return eval(a) * eval(b)
    }
}
let e = Expr.add(.number(2), .mul(.number(3), .number(4)))
print(eval(e))
print(e)
enum List { case end
    indirect case cons(Int, List) }
print(List.cons(1, .cons(2, .end)))
