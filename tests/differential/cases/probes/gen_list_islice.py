# list(itertools.islice(gen, 2)) shown consumes two items.
# %%
import itertools
gen = (x for x in range(5))
# %%
list(itertools.islice(gen, 2))
# %%
print(list(gen))
