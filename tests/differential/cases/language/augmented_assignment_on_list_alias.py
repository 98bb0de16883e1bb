# `b += [...]` on an alias of a list extends the shared list in place.
# expect: same
# %%
a = [1]
b = a
# %% [markdown]
# ## Extend
# %%
b += [2]
print(a, b)
