# collections.Counter.update called through the class mutates the counter.
# %%
import collections
c = collections.Counter()
# %%
collections.Counter.update(c, "aab")
# %%
print(c["a"])
