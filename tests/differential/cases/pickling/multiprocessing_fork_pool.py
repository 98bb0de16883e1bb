# Pool.map with the fork start method over a function defined in the notebook.
# Objects no run can compare (threads, locks, connections) are deleted at the end.
# %%
import multiprocessing
def cube(v):
    return v ** 3
# %% [markdown]
# ## Map
# %%
with multiprocessing.get_context("fork").Pool(2) as pool:
    cubes = pool.map(cube, range(5))
del pool
print(cubes)
