# `if "cache" not in globals():` decides whether to build a cache.
# %%
if "cache" not in globals():
    cache = {}
    print("built cache")
# %% [markdown]
# ## Use cache
# %%
cache["a"] = 1
if "cache" not in globals():
    cache = {}
print(cache)
