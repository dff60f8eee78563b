# Assignment expressions in conditions, comprehensions (binding outside them) and calls.
xs = [4, 7, 1, 9]
if (n := len(xs)) > 3:
    print("long", n)
big = [y for x in xs if (y := x * 10) > 50]
print(big, y)
def inner():
    found = [last := x for x in range(3)]
    return found, last
print(inner())
k = 0
while (k := k + 1) < 3:
    print("k", k)
print(max(m := 5, 2), m)
