// Raw strings: backslashes and quotes stay as written; \#(…) interpolates and \#n escapes.
let name = "tasklab"
print(#"C:\temp\new "quoted""#)
print(#"hello \(name) vs \#(name)"#)
print(##"a "#" inside, \##(name.count) letters"##)
print(#"line\#nbreak"#)
let pattern = #"""
    \d+ "\#(name)"
      indented \n
    """#
print(pattern)
