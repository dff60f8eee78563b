# A list that grows without end: tasklab stops at the memory limit and names the list.
# tasklab: limit memory 64MB
xs = []
while True:
    xs.append(len(xs))
