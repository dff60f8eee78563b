var n = 0
repeat { } while n == 0
