for case 5 in 0..<Int.max { }
print("unreachable")
