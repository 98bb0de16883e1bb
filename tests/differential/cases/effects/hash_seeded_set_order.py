# Iterating a set of strings: the order depends on string hashing, which both runs share.
# %%
names = {"alpha", "beta", "gamma", "delta"}
# %% [markdown]
# ## Join
# %%
print(",".join(names))
