# Parameters with /, *, *args and **kwargs, and the TypeError texts of wrong calls.
def report(fn, *args, **kwargs):
    try:
        print(fn(*args, **kwargs))
    except TypeError as e:
        print("TypeError:", e)
def kw_only(a, *, b):
    return a, b
def rest(*args, sep="-"):
    return sep.join(args)
def options(name, **opts):
    return name, sorted(opts.items())
def pos_only(a, b=2, /, c=3):
    return a, b, c
report(kw_only, 1, b=2)
report(kw_only, 1)
report(kw_only, 1, 2)
report(kw_only, 1, b=2, c=3)
report(rest, "a", "b", sep="+")
report(rest)
report(options, "x", z=1, a=2)
report(pos_only, 1, c=4)
report(pos_only, a=1)
report(pos_only, 1, 2, 3, 4)
report(lambda *xs, **kw: (xs, kw), 1, k=2)
class Box:
    def put(self, item, *, at=0):
        return item, at
report(Box().put, "x", at=3)
report(Box().put, "x", 3)
