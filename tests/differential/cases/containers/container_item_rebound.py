# data["x"] = data["x"] + 1 across sections, read in the last one.
# expect: same
# %%
data = {"x": 1}
# %% [markdown]
# ## Increment
# %%
data["x"] = data["x"] + 1
# %% [markdown]
# ## Increment again
# %%
data["x"] = data["x"] + 1
print(data["x"])
