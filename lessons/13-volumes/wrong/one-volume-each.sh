# Wrong: a volume each. Both survive their boxes, but they are two
# different folders: l13b never sees what l13a wrote.
glassbox volume rm --force l13other 2>/dev/null || true
glassbox volume create l13data
glassbox volume create l13other
glassbox volume add l13a l13data:/data
glassbox volume add l13b l13other:/data
glassbox run l13a -- sh -c 'echo written by l13a > /data/note'
glassbox rm --force l13a
