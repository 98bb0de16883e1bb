# collections.Counter(gen) shown as a display consumes the generator.
# %%
import collections
gen = (x % 3 for x in range(6))
# %%
collections.Counter(gen)
# %%
print(list(gen))
