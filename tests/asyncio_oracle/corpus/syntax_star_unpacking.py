# Star unpacking in targets (first, *rest = xs) and in list, tuple and set displays.
xs = [1, 2, 3, 4, 5]
first, *rest = xs
print(first, rest)
*init, last = xs
print(init, last)
a, *mid, b = xs
print(a, mid, b)
a, *mid, b = [1, 2]
print(a, mid, b)
(p, *q), r = [1, 2, 3], 4
print(p, q, r)
for h, *t in [(1, 2, 3), (4,)]:
    print(h, t)
print([*xs, *"ab"], (*xs[:2], 0), {*xs[:2], 2})
*everything, = range(3)
print(everything)
try:
    a, *b, c = [1]
except ValueError as e:
    print(e)
print(sorted({*[3, 1], *(2,)}))
