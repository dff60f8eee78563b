# "x".ljust(10**10) would build a 10 GB string: the statement budget stops it first.
print(len("x".ljust(10**10)))
