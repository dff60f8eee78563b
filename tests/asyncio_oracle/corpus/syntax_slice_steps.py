# Slices with steps, forwards and backwards, on lists, tuples, str and bytes.
xs = list(range(10))
print(xs[::2], xs[::-1], xs[1:8:3], xs[8:1:-2], xs[-1:-5:-1], xs[::-3], xs[100::-1], xs[:-100:-1], xs[5:5:1])
print("héllo"[::-1], (1, 2, 3)[::2], b"abcd"[::-1], xs[::9223372036854775807], xs[::-9223372036854775807])
try:
    xs[::0]
except ValueError as e:
    print(e)
