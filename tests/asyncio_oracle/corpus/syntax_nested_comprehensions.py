# Comprehensions with several for clauses and conditions between them.
pairs = [(x, y) for x in range(3) for y in range(x) if (x + y) % 2]
print(pairs)
print(sorted({(a, b) for a in "ab" if a != "c" for b in "xy" if b == "y"}))
print({k: v for k, vs in {"a": [1, 2], "b": [3]}.items() for v in vs})
m = [[1, 2], [3], []]
print([v for row in m for v in row], sum(v for row in m for v in row))
print([(i, j, k) for i in range(2) for j in range(2) for k in range(i + j)])
