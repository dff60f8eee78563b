// Not yet: #function as a default argument is the caller's function in Swift; tasklab
// gives the name of the code it evaluates in.
func where_am_i(_ f: String = #function, line: Int = #line) {
  print("called from \(f) at line \(line)")
}
func caller() { where_am_i() }
caller()
where_am_i()
