# Chained assignment: one value, targets assigned from left to right.
a = b = []
a.append(1)
print(a, b, a is b)
xs = [0, 0, 0]
i, j = 0, 2
xs[i] = xs[j] = 5
print(xs)
class P:
    pass
p, q = P(), P()
p.a = q.b = "v"
print(p.a, q.b)
order = []
def t(name):
    order.append(name)
    return name
d = {}
d[t("first")] = d[t("second")] = t("value")
print(order, d)
x, y = z = 1, 2
print(x, y, z)
