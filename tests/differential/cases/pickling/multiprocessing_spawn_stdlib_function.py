# Pool.map with the spawn start method over a standard-library function (no fork).
# %%
import math
import multiprocessing
# %% [markdown]
# ## Map
# %%
with multiprocessing.get_context("spawn").Pool(1) as pool:
    roots = pool.map(math.sqrt, [1, 4, 9])
del pool
print(roots)
