# A function changes the container passed to it; later reads must see the change.
# %%
def normalise(d):
    d["test"]["y"] = [v / 2 for v in d["test"]["y"]]
# %% [markdown]
# ## Data
# %%
data = {"train": {"y": [2, 4]}, "test": {"y": [6, 8]}}
# %% [markdown]
# ## Normalise
# %%
normalise(data)
# %% [markdown]
# ## Use
# %%
print(data["test"]["y"])
