# A value taken out of a dict, then the dict entry replaced: the old value is what was taken.
# %%
data = {"y": [1, 2, 3]}
# %% [markdown]
# ## Take
# %%
y = data["y"]
# %% [markdown]
# ## Replace
# %%
data["y"] = [10, 20]
# %% [markdown]
# ## Compare
# %%
print(y, data["y"])
