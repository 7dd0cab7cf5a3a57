# Wrong: every step but the last: l13a is still there, so nothing showed
# that the data outlives the box that wrote it.
glassbox volume create l13data
glassbox volume add l13a l13data:/data
glassbox run l13a -- sh -c 'echo written by l13a > /data/note'
glassbox volume add l13b l13data:/data
glassbox run l13b -- cat /data/note
