# Each of 2,000 "a"s becomes a million bytes: a 2 GB result, refused before it is built.
s = "a" * 2000
print(len(s.replace("a", "b" * 1_000_000)))
