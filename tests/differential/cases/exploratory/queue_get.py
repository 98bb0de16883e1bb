# q.get() takes an item off a queue: a later section sees one item fewer.
# Objects no run can compare (threads, locks, connections) are deleted at the end.
# %%
import queue
jobs = queue.Queue()
for name in ["a", "b", "c"]:
    jobs.put(name)
# %% [markdown]
# ## Take the first job
# %%
jobs.get()
# %% [markdown]
# ## Remaining
# %%
remaining = []
while not jobs.empty():
    remaining.append(jobs.get())
print(remaining)
del jobs
