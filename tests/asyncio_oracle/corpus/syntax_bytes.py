# Bytes: literals, repr, indexing, slicing, concatenation, encode/decode and their errors; \N{…} escapes.
print(repr(b'a\'b'), repr(b'a"b'), repr(b'\'"'), repr(b'\x00\x7f\x80\t\n\r\\'))
try:
    b'\xff'.decode()
except UnicodeDecodeError as e:
    print(type(e).__name__, e)
try:
    'é'.encode('ascii')
except UnicodeError as e:
    print(type(e).__name__, e)
for f in [lambda: b'a' + 'b', lambda: 'b' + b'a', lambda: 'a' in b'abc', lambda: 300 in b'abc', lambda: bytes('x'), lambda: bytes([256])]:
    try:
        f()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(bytes(3), bytes([65, 66]), bytes('hé', 'utf-8'), b'ab' * 2, b'abc'[1], b'abc'[-1:], b'ab'.hex(), list(b'ab'))
print(b'abc' == 'abc', b'' == b'', str(b'x'), f'{b"x"}', 'x'.encode() == b'x', b'caf\xc3\xa9'.decode('utf-8'))
print(len(b'abc'), b'ab' + b'cd', 98 in b'abc', b'bc' in b'abc', bool(b''), type(b'').__name__, isinstance(b'', bytes))
print({b'k': 1}[b'k'], {b'a', b'a'}, b'hello'.startswith(b'he'), rb'\x41', Rb'\n' == b'\\n', b'ab' b'cd')
print('caf\N{LATIN SMALL LETTER E WITH ACUTE} \N{EM DASH} \N{rightwards arrow}', '\N{HANGUL SYLLABLE HAN}'.encode())
