# Wrong: the volume goes into l13b only, and l13b writes the note (with the
# words of the lesson). l13a never had the volume: nothing was shared.
glassbox volume create l13data
glassbox volume add l13b l13data:/data
glassbox run l13b -- sh -c 'echo written by l13a > /data/note'
glassbox rm --force l13a
