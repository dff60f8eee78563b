enum Phase { case a, b, c }
func name(_ p: Phase) -> String {
    switch p {
    case .a: return "a"
    case .b: return "b"
    }
}
print(name(.a))
print(name(.c))
