# Set displays and comprehensions: equality, membership, duplicates, unhashable members.
eg = ExceptionGroup("eg", [ValueError(1), TypeError(2), ValueError(3)])
kinds = {type(e) for e in eg.exceptions}
print(kinds == {ValueError, TypeError}, len(kinds), ValueError in kinds, KeyError in kinds)
print(sorted({3, 1, 2, 3}), {"a"}, {1} == {1.0}, {(1, 2), (1, 2)})
print(sorted({n % 3 for n in range(10) if n > 2}))
try:
    s = {[1], 2}
except TypeError as e:
    print("TypeError:", e)
