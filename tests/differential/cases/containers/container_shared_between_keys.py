# The same list is held under two keys; changing one key's list changes the other.
# %%
shared = [1]
data = {"a": shared, "b": shared}
# %% [markdown]
# ## Change a
# %%
data["a"].append(2)
# %% [markdown]
# ## Read b
# %%
print(data["b"])
