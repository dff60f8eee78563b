# Comparison chains: each operand evaluated once, stopping at the first false link.
calls = []
def f(v):
    calls.append(v)
    return v
t0, t1 = 0, 10
print(t0 <= f(5) <= t1, calls)
calls.clear()
print(t0 <= f(50) <= t1 <= f(99), calls)
calls.clear()
print(f(3) > f(2) > f(1), calls)
print(1 < 2 < 3 < 4, 1 < 3 < 2)
x, y = None, 1
print(x is not None is not y, x is None is not y)
print(1 in [1] in [[1]], 2 in [1] in [[1]])
print(f(1) == f(1) != f(2))
